// Root frames through the raw host table (abi.h minor 6: root_frame_new, root_frame_cancel,
// root_frame_release, frame_attachment; minor 8: root_frame_renew), as a trigger plugin uses
// them: the options reach the call, the attachment reaches synchronous callees but not async
// ones, canceling the frame stops a call running inline on another thread, and a renewed
// frame is the next request's alone.
#include "kernel_test_util.hpp"

#include "support/bounded_run.hpp"

#include <chrono>
#include <thread>

namespace {

using namespace kt;
using modrt::kernel::CallResult;
using namespace std::chrono_literals;

const char* kRootRegistry = R"(version: "1.0"
namespace: rf
entries:
  - {name: attachment, kind: function.native, source: file://@LIB@, method: attachment}
  - {name: call, kind: function.native, source: file://@LIB@, method: call_other}
  - {name: context, kind: function.native, source: file://@LIB@, method: context}
  - {name: actor, kind: function.native, source: file://@LIB@, method: actor}
  - {name: scope, kind: function.native, source: file://@LIB@, method: scope}
  - {name: deadline, kind: function.native, source: file://@LIB@, method: deadline}
  - {name: wait_cancel, kind: function.native, source: file://@LIB@, method: wait_cancel}
  - {name: fan_out, kind: function.native, source: file://@LIB@, method: fan_out}
)";

modrt_str str(std::string_view s) { return modrt_str{s.data(), s.size()}; }

class KernelRootFrame : public ::testing::Test {
protected:
    void SetUp() override {
        fs::path dir = scratch_dir("root_frame");
        write_file(dir / "r.yaml", with_lib(kRootRegistry));
        rt_ = std::make_unique<Runtime>(default_options());
        auto errs = rt_->load(dir);
        ASSERT_TRUE(errs.empty()) << format_all(errs);
    }
    const modrt_host_api& host() { return rt_->host_api(); }

    /// host->call of `id` under `parent`; the result, or the error's kind as an error.
    CallResult call_under(modrt_frame* parent, std::string_view id, Value args) {
        CallResult r;
        r.error.reset(host().call(rt_->handle(), parent, str(id), &args, nullptr, &r.value));
        return r;
    }

    std::unique_ptr<Runtime> rt_;
};

Value strings(std::initializer_list<const char*> items) {
    Value v = Value::array();
    for (const char* s : items) v.items.push_back(Value::string(s));
    return v;
}

/// What a request might carry: context {request_id = "r-1"}, actor user:ada, scope [rf:p], a
/// 5 s timeout. The frame made with them holds its own reference to the actor.
struct AdasRequest {
    explicit AdasRequest(const modrt_host_api& host) : host_(host) {
        context.insert("request_id") = Value::string("r-1");
        options.struct_size = sizeof options;
        options.context = &context;
        options.actor = host.actor_new(str("user:ada"), nullptr);
        options.scope = str("[rf:p]");
        options.timeout_ns = std::chrono::nanoseconds(5s).count();
    }
    ~AdasRequest() { host_.actor_release(options.actor); }
    AdasRequest(const AdasRequest&) = delete;
    AdasRequest& operator=(const AdasRequest&) = delete;

    Value context = Value::map();
    modrt_call_options options{};

private:
    const modrt_host_api& host_;
};

TEST_F(KernelRootFrame, OptionsReachTheCall) {
    AdasRequest ada(host());
    modrt_frame* root = host().root_frame_new(rt_->handle(), &ada.options, str(""), nullptr);
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(call_under(root, "rf:context", strings({"request_id"})).value.str, "r-1");
    EXPECT_EQ(call_under(root, "rf:actor", Value::array()).value.find("id")->str, "user:ada");
    EXPECT_EQ(call_under(root, "rf:scope", Value::array()).value.str, "[rf:p]");
    int64_t deadline = call_under(root, "rf:deadline", Value::array()).value.scalar.i;
    EXPECT_GT(deadline, host().now_ns());
    EXPECT_LE(deadline, host().now_ns() + std::chrono::nanoseconds(5s).count());
    host().root_frame_release(root);
}

TEST_F(KernelRootFrame, AttachmentReachesSynchronousCalleesOnly) {
    static const char kLent[] = "the exchange";
    modrt_frame* root = host().root_frame_new(rt_->handle(), nullptr, str("test.key"), const_cast<char*>(kLent));
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(call_under(root, "rf:attachment", strings({"test.key"})).value.str, kLent);
    EXPECT_EQ(call_under(root, "rf:attachment", strings({"other.key"})).value.type, MODRT_NIL);
    // Through a nested synchronous call.
    Value nested = Value::array();
    nested.items.push_back(Value::string("rf:attachment"));
    nested.items.push_back(strings({"test.key"}));
    EXPECT_EQ(call_under(root, "rf:call", nested).value.str, kLent);
    // An async child may outlive the lender: it sees nothing.
    Value fan = Value::array();
    fan.items.push_back(Value::string("rf:attachment"));
    fan.items.push_back(Value::integer(1));
    fan.items.push_back(Value::string("test.key"));
    CallResult async = call_under(root, "rf:fan_out", fan);
    ASSERT_TRUE(async.ok()) << async.error->message;
    ASSERT_EQ(async.value.items.size(), 1u);
    EXPECT_EQ(async.value.items[0].type, MODRT_NIL);
    host().root_frame_release(root);
    // A plain root call has no attachment either.
    EXPECT_EQ(rt_->call("rf:attachment", strings({"test.key"})).value.type, MODRT_NIL);
}

TEST_F(KernelRootFrame, CancelStopsACallRunningInlineOnAnotherThread) {
    modrt_frame* root = host().root_frame_new(rt_->handle(), nullptr, str(""), nullptr);
    ASSERT_NE(root, nullptr);
    Value args = Value::array();
    args.items.push_back(Value::integer(20000));
    std::thread canceler([&] {
        std::this_thread::sleep_for(50ms);
        host().root_frame_cancel(root);
        host().root_frame_cancel(root);  // again: harmless
    });
    auto r = modrt::test::run_within([&] { return call_under(root, "rf:wait_cancel", args); }, 10s);
    canceler.join();
    ASSERT_TRUE(r.has_value()) << "the call did not stop";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_CANCELED);
    // A call started under a canceled frame fails at once.
    EXPECT_EQ(call_under(root, "rf:context", strings({"x"})).error->kind, MODRT_ERR_CANCELED);
    host().root_frame_release(root);
    host().root_frame_release(nullptr);  // ignored
}

TEST_F(KernelRootFrame, RenewedFrameCarriesOnlyTheNextRequestsOptions) {
    static const char kFirst[] = "first exchange", kSecond[] = "second exchange";
    AdasRequest ada(host());
    ada.context.insert("only_first") = Value::string("x");
    modrt_frame* root = host().root_frame_renew(rt_->handle(), nullptr, &ada.options, str("test.key"),
                                                const_cast<char*>(kFirst));
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(call_under(root, "rf:actor", Value::array()).value.find("id")->str, "user:ada");
    EXPECT_EQ(call_under(root, "rf:context", strings({"only_first"})).value.str, "x");
    EXPECT_EQ(call_under(root, "rf:attachment", strings({"test.key"})).value.str, kFirst);

    Value next = Value::map();
    next.insert("request_id") = Value::string("r-2");
    modrt_call_options o2{};
    o2.struct_size = sizeof o2;
    o2.context = &next;
    modrt_frame* renewed = host().root_frame_renew(rt_->handle(), root, &o2, str("test.key"),
                                                   const_cast<char*>(kSecond));
    ASSERT_EQ(renewed, root) << "renewing keeps the frame";
    EXPECT_EQ(call_under(root, "rf:context", strings({"request_id"})).value.str, "r-2");
    EXPECT_EQ(call_under(root, "rf:context", strings({"only_first"})).value.type, MODRT_NIL);
    EXPECT_EQ(call_under(root, "rf:actor", Value::array()).value.type, MODRT_NIL) << "the first actor is gone";
    EXPECT_EQ(call_under(root, "rf:scope", Value::array()).value.str, "");
    EXPECT_EQ(call_under(root, "rf:deadline", Value::array()).value.scalar.i, 0) << "the first deadline is gone";
    EXPECT_EQ(call_under(root, "rf:attachment", strings({"test.key"})).value.str, kSecond);

    // Without a key, nothing is lent any more.
    root = host().root_frame_renew(rt_->handle(), root, nullptr, str(""), nullptr);
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(call_under(root, "rf:attachment", strings({"test.key"})).value.type, MODRT_NIL);
    host().root_frame_release(root);
}

TEST_F(KernelRootFrame, RenewForgetsACancellationAndCancelStillWorksAfter) {
    modrt_frame* root = host().root_frame_new(rt_->handle(), nullptr, str(""), nullptr);
    ASSERT_NE(root, nullptr);
    host().root_frame_cancel(root);
    EXPECT_EQ(call_under(root, "rf:context", strings({"x"})).error->kind, MODRT_ERR_CANCELED);
    root = host().root_frame_renew(rt_->handle(), root, nullptr, str(""), nullptr);
    ASSERT_NE(root, nullptr);
    EXPECT_TRUE(call_under(root, "rf:context", strings({"x"})).ok()) << "the last request's cancellation is gone";

    // A call running under the renewed frame is canceled as under a new one (its cancel list was reused).
    Value args = Value::array();
    args.items.push_back(Value::integer(20000));
    std::thread canceler([&] {
        std::this_thread::sleep_for(50ms);
        host().root_frame_cancel(root);
    });
    auto r = modrt::test::run_within([&] { return call_under(root, "rf:wait_cancel", args); }, 10s);
    canceler.join();
    ASSERT_TRUE(r.has_value()) << "the call did not stop";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_CANCELED);
    host().root_frame_release(root);
}

}  // namespace

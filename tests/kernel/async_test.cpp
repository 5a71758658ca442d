// Asynchronous calls through the host API: fan-out, cancellation, deadlines,
// and "a function never outlives its caller".
#include "kernel_test_util.hpp"

#include <chrono>
#include <dlfcn.h>
#include <thread>

namespace kt {
namespace {

constexpr const char* kAsyncRegistry = R"(version: "1.0"
namespace: t
entries:
  - {name: fan_out, kind: function.native, source: file://@LIB@, method: fan_out}
  - {name: mul, kind: function.native, source: file://@LIB@, method: mul, pool: {workers: 2}}
  - {name: mul_inline, kind: function.native, source: file://@LIB@, method: mul}
  - {name: linger, kind: function.native, source: file://@LIB@, method: linger, pool: {workers: 2}}
  - {name: start_and_return, kind: function.native, source: file://@LIB@, method: start_and_return}
  - {name: cancel_child, kind: function.native, source: file://@LIB@, method: cancel_child}
  - {name: wait_child, kind: function.native, source: file://@LIB@, method: wait_child}
  - {name: nested_fan_out, kind: function.native, source: file://@LIB@, method: fan_out, pool: {workers: 2}}
)";

class KernelAsync : public ::testing::Test {
protected:
    void SetUp() override {
        fs::path dir = scratch_dir("async");
        write_file(dir / "registry.yaml", with_lib(kAsyncRegistry));
        auto errors = rt.load(dir);
        ASSERT_TRUE(errors.empty()) << format_all(errors);
        void* lib = ::dlopen(native_lib().c_str(), RTLD_NOW | RTLD_NOLOAD);
        ASSERT_NE(lib, nullptr);
        canceled_children = reinterpret_cast<int (*)()>(::dlsym(lib, "kt_canceled_children"));
        reinterpret_cast<void (*)()>(::dlsym(lib, "kt_reset_canceled_children"))();
        ::dlclose(lib);
    }

    Value args(std::initializer_list<Value> items) {
        Value a = Value::array();
        for (const auto& v : items) a.push() = v;
        return a;
    }

    /// Poll `cond` for up to 3 s.
    template <class F>
    bool eventually(F cond) {
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < until) {
            if (cond()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return cond();
    }

    Runtime rt{default_options()};
    int (*canceled_children)() = nullptr;
};

TEST_F(KernelAsync, FanOutOnAThreadedPoolReturnsEveryResultInOrder) {
    auto r = rt.call("t:fan_out", args({Value::string("t:mul"), Value::integer(20), Value::integer(3)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.items.size(), 20u);
    for (int64_t i = 0; i < 20; ++i) EXPECT_EQ(r.value.items[static_cast<size_t>(i)].scalar.i, 3 * (i + 1));
}

TEST_F(KernelAsync, AsyncOnTheInlinePoolCompletesBeforeCallAsyncReturns) {
    auto r = rt.call("t:fan_out", args({Value::string("t:mul_inline"), Value::integer(5), Value::integer(2)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.items.size(), 5u);
}

TEST_F(KernelAsync, ManyOutstandingFuturesFromOneFunction) {
    auto r = rt.call("t:fan_out", args({Value::string("t:mul"), Value::integer(300), Value::integer(1)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.items.size(), 300u);
}

TEST_F(KernelAsync, NestedFanOutAcrossPools) {
    // fan_out on a 2-worker pool, each child itself fanning out on another pool.
    auto r = rt.call("t:fan_out", args({Value::string("t:nested_fan_out"), Value::integer(4), Value::string("t:mul")}));
    // nested_fan_out(id="t:mul", n=i) -> i results; the outer collects 4 arrays
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.items.size(), 4u);
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(r.value.items[i].items.size(), i);
}

TEST_F(KernelAsync, UnknownTargetFailsAtOnce) {
    auto r = rt.call("t:fan_out", args({Value::string("t:nope"), Value::integer(1), Value::integer(1)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
}

TEST_F(KernelAsync, ACallStillRunningWhenItsCallerReturnsIsCanceled) {
    auto r = rt.call("t:start_and_return", args({Value::string("t:linger"), Value::integer(5000)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_TRUE(eventually([&] { return canceled_children() == 1; }));
}

TEST_F(KernelAsync, CancelingAFutureStopsTheCallee) {
    auto r = rt.call("t:cancel_child", args({Value::string("t:linger"), Value::integer(5000)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, MODRT_ERR_CANCELED);
    EXPECT_EQ(canceled_children(), 1);
}

TEST_F(KernelAsync, TheCallersDeadlineEndsTheWaitAndTheChild) {
    modrt::kernel::CallOptions o;
    o.timeout = std::chrono::milliseconds(50);
    auto start = std::chrono::steady_clock::now();
    auto r = rt.call("t:wait_child", args({Value::string("t:linger"), Value::integer(5000)}), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    // The child inherited the deadline (and its caller returned): it stops too.
    EXPECT_TRUE(eventually([&] { return canceled_children() == 1; }));
}

TEST_F(KernelAsync, AFinishedChildReturnsItsResultThroughWait) {
    auto r = rt.call("t:wait_child", args({Value::string("t:linger"), Value::integer(1)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "finished");
}

}  // namespace
}  // namespace kt

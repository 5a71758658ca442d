// A running function.expose entry (expose_trigger.hpp).
#include "expose_trigger.hpp"

#include "nats_status.hpp"
#include "subjects.hpp"
#include "wire_format.hpp"

#include <algorithm>
#include <chrono>

namespace modrt::remote {

namespace {

constexpr size_t kEarlyCancels = 1024;

struct ActorRelease {
    void operator()(modrt_actor* a) const noexcept { host_api().actor_release(a); }
};

}  // namespace

ExposeTrigger::ExposeTrigger(const Host& host, nats::Connections& connections, ExposeSpec spec,
                             TriggerIdentity identity)
    : host_(host), connections_(connections), spec_(std::move(spec)), identity_(std::move(identity)) {}

ExposeTrigger::~ExposeTrigger() { stop(host_api().now_ns()); }

Error ExposeTrigger::start(ValueSlot out) {
    identity_.resolve(host_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = exiting_ = false;
    }
    nc_ = connections_.get(spec_.connection, spec_.id);
    for (size_t i = 0; i < spec_.concurrency; ++i) workers_.emplace_back([this] { work(); });
    try {
        cancels_ = std::make_unique<AsyncSubscription>(nc_.get(), cancel_subject(spec_.prefix), "",
                                                       [this](nats::MsgPtr m) { on_cancel(std::move(m)); });
        for (const std::string& fn : spec_.functions) {
            std::string subject = function_subject(spec_.prefix, fn);
            requests_.push_back(
                std::make_unique<AsyncSubscription>(nc_.get(), subject, subject,
                                                    [this, &fn](nats::MsgPtr m) { on_request(fn, std::move(m)); }));
        }
        // Make sure the server has every subscription before we say we serve: a caller told
        // "started" must not get "no responders". Not connected yet (NATS down, retrying):
        // cnats sends the subscriptions once it connects, and the node serves from then on.
        if (natsConnection_Status(nc_.get()) == NATS_CONN_STATUS_CONNECTED)
            nats::check(natsConnection_FlushTimeout(nc_.get(), 5000), "subscribe");
        else
            host_.log(MODRT_LOG_WARN,
                      spec_.id + ": not connected to " + spec_.connection.describe() + " yet; serving once it is");
    } catch (const Failure&) {
        stop(host_api().now_ns());
        throw;
    }
    out.set_map();
    ValueSlot listen = out.insert("listen");
    listen.set_array(spec_.functions.size());
    for (const std::string& fn : spec_.functions)
        listen.push().set_string("nats " + spec_.connection.describe() + " " + function_subject(spec_.prefix, fn));
    return {};
}

void ExposeTrigger::on_request(const std::string& function, nats::MsgPtr msg) {
    std::unique_lock lock(mutex_);
    // Back-pressure: beyond a few calls per worker, requests wait in NATS (each with its deadline running).
    space_cv_.wait(lock, [&] { return stopping_ || queue_.size() < spec_.concurrency * 4; });
    if (!stopping_) {
        queue_.push_back(Job{std::move(msg), &function});
        work_cv_.notify_one();
        return;
    }
    lock.unlock();
    if (const char* reply = natsMsg_GetReply(msg.get()); reply != nullptr && *reply != '\0')
        publish(reply,
                encode_error(Error(MODRT_ERR_UNAVAILABLE, spec_.id + ": this node is stopping").set_retryable(true)));
}

void ExposeTrigger::on_cancel(nats::MsgPtr msg) {
    std::string reply_subject(natsMsg_GetData(msg.get()), static_cast<size_t>(natsMsg_GetDataLength(msg.get())));
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(reply_subject); it != running_.end()) {
        it->second->cancel();
        return;
    }
    // Most cancels are for calls other nodes serve; one for a call queued here is caught when it starts.
    if (!early_cancels_.insert(reply_subject).second) return;
    early_order_.push_back(std::move(reply_subject));
    if (early_order_.size() > kEarlyCancels) {
        early_cancels_.erase(early_order_.front());
        early_order_.pop_front();
    }
}

bool ExposeTrigger::take_early_cancel(const std::string& reply_subject) {
    // Left in early_order_: it ages out there, and erasing a missing key is harmless.
    return early_cancels_.erase(reply_subject) > 0;
}

void ExposeTrigger::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_cv_.wait(lock, [&] { return !queue_.empty() || exiting_; });
        if (queue_.empty()) return;
        Job job = std::move(queue_.front());
        queue_.pop_front();
        ++busy_;
        space_cv_.notify_one();
        lock.unlock();
        serve(job);
        job.msg.reset();
        lock.lock();
        --busy_;
        if (queue_.empty() && busy_ == 0) idle_cv_.notify_all();
    }
}

void ExposeTrigger::serve(Job& job) {
    natsMsg* m = job.msg.get();
    const char* reply = natsMsg_GetReply(m);
    if (reply == nullptr || *reply == '\0') {
        host_.log(MODRT_LOG_WARN, spec_.id + ": dropped a request without a reply subject on " + natsMsg_GetSubject(m));
        return;
    }
    std::string bytes;
    try {
        bytes = run(*job.function, reply,
                    std::string_view(natsMsg_GetData(m), static_cast<size_t>(natsMsg_GetDataLength(m))));
    } catch (const Failure& f) {
        bytes = encode_error(Error(f.release()));
    } catch (const std::exception& e) {
        bytes = encode_error(Error(MODRT_ERR_INTERNAL, spec_.id + ": " + e.what()));
    }
    publish(reply, bytes);
}

std::string ExposeTrigger::run(const std::string& function, const std::string& reply_subject, std::string_view body) {
    Request req = decode_request(body);  // throws INVALID
    if (req.function != function)
        return encode_error(Error(MODRT_ERR_NOT_FOUND, "function " + req.function + " is not exposed on " +
                                                           function_subject(spec_.prefix, function)));
    std::chrono::nanoseconds timeout(req.timeout_ns);
    if (spec_.max_timeout.count() > 0 && (timeout.count() == 0 || timeout > spec_.max_timeout))
        timeout = spec_.max_timeout;
    modrt_call_options options = identity_.options(timeout, req.context.view().is_map() ? req.context.raw() : nullptr);
    // The caller's actor, trusted because NATS authenticated its node; this entry's scope: the
    // policies that grant anything are this node's own (README "Security").
    std::unique_ptr<modrt_actor, ActorRelease> actor;
    if (req.has_actor) {
        actor.reset(host_api().actor_new(to_str(req.actor_id),
                                         req.actor_meta.view().is_map() ? req.actor_meta.raw() : nullptr));
        options.actor = actor.get();
    }
    RootFrame frame = RootFrame::make(host_, options);
    {
        std::lock_guard lock(mutex_);
        if (take_early_cancel(reply_subject))
            return encode_error(Error(MODRT_ERR_CANCELED, "remote call to " + function + " canceled by its caller"));
        running_.emplace(reply_subject, &frame);
    }
    Value result;
    Error err = host_.call(frame.raw(), function, req.args.view(), result.slot());
    {
        std::lock_guard lock(mutex_);
        running_.erase(reply_subject);
    }
    if (err.failed()) return encode_error(err);
    try {
        return encode_result(result.view());
    } catch (const Failure& f) {
        return encode_error(Error(f.release()));
    }
}

void ExposeTrigger::publish(const char* reply_subject, const std::string& bytes) {
    natsStatus s = natsConnection_Publish(nc_.get(), reply_subject, bytes.data(), static_cast<int>(bytes.size()));
    if (s == NATS_MAX_PAYLOAD) {  // the caller would otherwise wait for its timeout
        std::string too_big = encode_error(Error(MODRT_ERR_INVALID, "the result (" + std::to_string(bytes.size()) +
                                                                        " bytes) is larger than NATS' max_payload"));
        s = natsConnection_Publish(nc_.get(), reply_subject, too_big.data(), static_cast<int>(too_big.size()));
    }
    if (s != NATS_OK) host_.log(MODRT_LOG_WARN, spec_.id + ": could not send a reply: " + natsStatus_GetText(s));
}

void ExposeTrigger::stop(int64_t deadline_ns) {
    {
        std::lock_guard lock(mutex_);
        if (exiting_ || !nc_) return;  // never started, or stopped already
        stopping_ = true;
    }
    space_cv_.notify_all();
    requests_.clear();  // no delivery runs after this
    std::unique_lock lock(mutex_);
    auto idle = [&] { return queue_.empty() && busy_ == 0; };
    int64_t left = deadline_ns - host_api().now_ns();
    if (!idle_cv_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(left, 0)), idle)) {
        host_.log(MODRT_LOG_WARN, spec_.id + ": canceling calls still running at the stop deadline");
        std::deque<Job> unstarted;
        unstarted.swap(queue_);
        for (const auto& [subject, frame] : running_) frame->cancel();
        lock.unlock();
        for (Job& job : unstarted)
            if (const char* reply = natsMsg_GetReply(job.msg.get()); reply != nullptr && *reply != '\0')
                publish(reply, encode_error(
                                   Error(MODRT_ERR_UNAVAILABLE, spec_.id + ": this node stopped").set_retryable(true)));
        lock.lock();
        // A call that registered its frame after we looked is caught on the next round.
        while (!idle_cv_.wait_for(lock, std::chrono::milliseconds(20), idle))
            for (const auto& [subject, frame] : running_) frame->cancel();
    }
    exiting_ = true;
    lock.unlock();
    work_cv_.notify_all();
    workers_.clear();  // joins
    cancels_.reset();
    (void)natsConnection_FlushTimeout(nc_.get(), 1000);  // the last replies out before the connection may close
    nc_.reset();
}

}  // namespace modrt::remote

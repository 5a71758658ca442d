// One queue on JetStream (nats_queue.hpp).
#include "nats_queue.hpp"

#include "nats_status.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <vector>

namespace modrt::queue_nats {

namespace {

// JetStream API error codes (nats-server's jetstream_errors) this driver acts on.
constexpr jsErrCode kStreamNameExist = static_cast<jsErrCode>(10058);  // same name, other config: update it
constexpr jsErrCode kStreamNotFound = static_cast<jsErrCode>(10059);
constexpr jsErrCode kConsumerNotFound = static_cast<jsErrCode>(10014);
constexpr jsErrCode kStoreFailed = static_cast<jsErrCode>(10077);         // "maximum messages/bytes exceeded"
constexpr jsErrCode kInsufficientResources = static_cast<jsErrCode>(10023);

/// A JetStream call's failure: the server's error code decides when the status alone cannot.
Error js_error(natsStatus s, jsErrCode code, const std::string& what) {
    if (s == NATS_ERR && (code == kStoreFailed || code == kInsufficientResources)) {
        Error e = nats::status_error(s, what);
        return std::move(Error(MODRT_ERR_UNAVAILABLE, std::string(e.message())).set_retryable(true));
    }
    if (s == NATS_ERR && code != 0) {
        Error e = nats::status_error(s, what);
        return Error(MODRT_ERR_INVALID, std::string(e.message()) + " (JetStream error " + std::to_string(code) + ")");
    }
    return nats::status_error(s, what);
}

struct StreamInfoDeleter {
    void operator()(jsStreamInfo* p) const noexcept { jsStreamInfo_Destroy(p); }
};
struct ConsumerInfoDeleter {
    void operator()(jsConsumerInfo* p) const noexcept { jsConsumerInfo_Destroy(p); }
};
struct PubAckDeleter {
    void operator()(jsPubAck* p) const noexcept { jsPubAck_Destroy(p); }
};

// How many messages' local delivery counts a queue keeps (NatsQueue::attempts_).
constexpr size_t kAttemptsKept = 100'000;

/// The delivery count and stream sequence in a message's ack subject:
/// $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>, or with
/// <domain>.<account hash> before <stream> (11 or more tokens).
void delivery_info(const char* reply, int64_t& delivered, uint64_t& stream_seq) {
    std::vector<std::string_view> tokens;
    std::string_view rest = reply != nullptr ? reply : "";
    while (!rest.empty()) {
        size_t dot = rest.find('.');
        tokens.push_back(rest.substr(0, dot));
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    const size_t at = tokens.size() >= 11 ? 6 : tokens.size() == 9 ? 4 : 0;
    if (at == 0) return;
    auto number = [](std::string_view t) {
        uint64_t n = 0;
        for (char c : t) n = c >= '0' && c <= '9' ? n * 10 + uint64_t(c - '0') : n;
        return n;
    };
    delivered = std::max<int64_t>(1, static_cast<int64_t>(number(tokens[at])));
    stream_seq = number(tokens[at + 1]);
}

/// Settle or touch a message: JetStream reads "+ACK", "-NAK", "-NAK {delay}" and "+WPI" sent to its reply subject.
natsStatus publish_reply(natsConnection* nc, natsMsg* msg, const std::string& what) {
    const char* reply = natsMsg_GetReply(msg);
    if (reply == nullptr || *reply == '\0') return NATS_INVALID_SUBJECT;
    return natsConnection_Publish(nc, reply, what.data(), static_cast<int>(what.size()));
}

}  // namespace

natsStatus NatsQueue::reply_to(natsMsg* msg, const std::string& what) { return publish_reply(connection_.get(), msg, what); }

NatsQueue::NatsQueue(nats::ConnectionPtr connection, std::string owner, QueueOptions options,
                     const DriverSettings& driver)
    : owner_(std::move(owner)),
      options_(std::move(options)),
      publish_timeout_(driver.publish_timeout),
      connection_(std::move(connection)) {
    jsOptions jo;
    nats::check(jsOptions_Init(&jo), owner_);
    jo.Wait = publish_timeout_.count();  // JetStream API calls and publish acks
    jsCtx* js = nullptr;
    nats::check(natsConnection_JetStream(&js, connection_.get(), &jo), owner_ + ": JetStream");
    js_.reset(js);
    try {
        ensure_stream();
    } catch (const Failure& f) {
        Error err(f.release());
        if (!err.retryable()) throw Failure(std::move(err));
        trouble(err);  // NATS not up yet: publish and fetch make the stream once it is
    }
}

NatsQueue::~NatsQueue() {
    heartbeat_.request_stop();
    heartbeat_cv_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
    std::lock_guard lock(mutex_);
    for (auto& m : buffer_) reply_to(m.get(), "-NAK");  // delivered again now, not after ack_wait
    buffer_.clear();
    in_flight_.clear();  // settled by now; any left come back after ack_wait
    if (subscription_) natsSubscription_Unsubscribe(subscription_.get());
    subscription_.reset();  // before js_ and the connection
}

void NatsQueue::ensure_stream() {
    std::lock_guard lock(setup_mutex_);
    if (stream_ready_) return;
    jsStreamConfig cfg;
    nats::check(jsStreamConfig_Init(&cfg), owner_);
    const char* subjects[] = {options_.subject.c_str()};
    cfg.Name = options_.stream.c_str();
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Retention = js_WorkQueuePolicy;  // a message is gone once acked: a queue, not a log
    cfg.Discard = js_DiscardNew;         // full: refuse the publish (retryable), never drop old messages
    cfg.Storage = options_.memory_storage ? js_MemoryStorage : js_FileStorage;
    cfg.Replicas = options_.replicas;
    cfg.MaxMsgs = options_.max_msgs;
    cfg.MaxBytes = options_.max_bytes;
    cfg.MaxAge = options_.max_age.count();
    jsStreamInfo* raw = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_AddStream(&raw, js_.get(), &cfg, nullptr, &code);
    if (s == NATS_ERR && code == kStreamNameExist) {  // made by an older config: bring it up to this one
        code = static_cast<jsErrCode>(0);
        s = js_UpdateStream(&raw, js_.get(), &cfg, nullptr, &code);
        if (s == NATS_OK) log(MODRT_LOG_INFO, "nats", owner_ + ": updated stream " + options_.stream + " to the registry's settings");
    }
    std::unique_ptr<jsStreamInfo, StreamInfoDeleter> info(raw);
    if (s != NATS_OK) throw Failure(js_error(s, code, owner_ + ": stream " + options_.stream));
    stream_ready_ = true;
}

natsSubscription* NatsQueue::subscription() {
    ensure_stream();
    std::lock_guard lock(setup_mutex_);
    if (subscription_ && consumer_ready_) return subscription_.get();
    if (!consumer_ready_) {
        jsConsumerConfig cc;
        nats::check(jsConsumerConfig_Init(&cc), owner_);
        cc.Durable = options_.durable.c_str();
        cc.AckPolicy = js_AckExplicit;
        cc.DeliverPolicy = js_DeliverAll;
        cc.AckWait = options_.ack_wait.count();
        cc.MaxDeliver = options_.max_deliver;
        if (options_.max_ack_pending > 0) cc.MaxAckPending = options_.max_ack_pending;
        cc.FilterSubject = options_.subject.c_str();
        jsConsumerInfo* raw = nullptr;
        jsErrCode code = static_cast<jsErrCode>(0);
        natsStatus s = js_AddConsumer(&raw, js_.get(), options_.stream.c_str(), &cc, nullptr, &code);
        if (s == NATS_ERR && code != 0 && code != kStreamNotFound) {  // there with other settings: update it
            jsErrCode update_code = static_cast<jsErrCode>(0);
            if (js_UpdateConsumer(&raw, js_.get(), options_.stream.c_str(), &cc, nullptr, &update_code) == NATS_OK) {
                s = NATS_OK;
                log(MODRT_LOG_INFO, "nats", owner_ + ": updated consumer " + options_.durable + " to the registry's settings");
            }
        }
        std::unique_ptr<jsConsumerInfo, ConsumerInfoDeleter> info(raw);
        if (s != NATS_OK) {
            if (code == kStreamNotFound) stream_ready_ = false;
            throw Failure(js_error(s, code, owner_ + ": consumer " + options_.durable));
        }
        consumer_ready_ = true;
    }
    if (subscription_) return subscription_.get();  // pulls name the consumer: they work again once it is back
    // A plain subscription on an inbox of our own, to which pull requests send the messages.
    // Not cnats' pull subscription: libnats 3.4's Fetch writes past its message array when more
    // messages arrive than the batch asked for (messages of an earlier request, after a
    // reconnect), corrupting the heap; the requests and their replies are simple enough to do here.
    natsInbox* raw_inbox = nullptr;
    nats::check(natsInbox_Create(&raw_inbox), owner_ + ": inbox");
    inbox_ = raw_inbox;
    natsInbox_Destroy(raw_inbox);
    natsSubscription* sub = nullptr;
    nats::check(natsConnection_SubscribeSync(&sub, connection_.get(), inbox_.c_str()), owner_ + ": pull subscription");
    subscription_.reset(sub);
    next_subject_ = "$JS.API.CONSUMER.MSG.NEXT." + options_.stream + "." + options_.durable;
    return sub;
}

void NatsQueue::pull(int batch, std::chrono::milliseconds wait, std::deque<nats::MsgPtr>& into) {
    natsSubscription* sub = subscription();
    const auto now = Clock::now();
    if (request_left_ <= 0 || now >= request_until_) {
        // The server holds a request until it has sent `batch` messages or `expires` passed, and
        // then says so with a status message (408; 404 when it cannot wait, 409 when the
        // consumer is gone or busy). One request open at a time: at most `batch` pulled ahead.
        const std::string request =
            "{\"batch\":" + std::to_string(batch) + ",\"expires\":" +
            std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count()) + "}";
        nats::check(natsConnection_PublishRequest(connection_.get(), next_subject_.c_str(), inbox_.c_str(),
                                                  request.data(), static_cast<int>(request.size())),
                    owner_ + ": fetch");
        request_left_ = batch;
        request_until_ = now + wait + std::chrono::milliseconds(50);  // its 408 comes at `wait`
    }
    // Wait for the first message; then take only what has already arrived, so that a message is
    // handed to a worker as soon as it comes, not when the batch is full.
    const auto until = std::min(request_until_, now + wait);
    for (bool first = true;; first = false) {
        int64_t left = 0;
        if (first) {
            left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
            if (left <= 0) return;
        } else {
            int pending = 0;
            if (natsSubscription_GetPending(sub, &pending, nullptr) != NATS_OK || pending == 0) return;
            left = 1;
        }
        natsMsg* raw = nullptr;
        natsStatus s = natsSubscription_NextMsg(&raw, sub, left);
        if (s == NATS_TIMEOUT) return;
        if (s != NATS_OK) throw Failure(nats::status_error(s, owner_ + ": fetch"));
        nats::MsgPtr msg(raw);
        const char* reply = natsMsg_GetReply(msg.get());
        if (reply != nullptr && std::string_view(reply).substr(0, 8) == "$JS.ACK.") {  // a message of the queue
            into.push_back(std::move(msg));
            --request_left_;  // one of an earlier request counts too: it is as good
            continue;
        }
        const char* status = nullptr;
        if (natsMsgHeader_Get(msg.get(), "Status", &status) != NATS_OK || status == nullptr) continue;
        std::string_view code(status);
        if (code == "100") continue;  // a heartbeat
        request_left_ = 0;            // any other status ends the request
        if (code == "409") {
            const char* why = nullptr;
            natsMsgHeader_Get(msg.get(), "Description", &why);
            if (why != nullptr && std::string_view(why).find("Consumer Deleted") != std::string_view::npos) {
                std::lock_guard lock(setup_mutex_);  // make it again on the next pull
                consumer_ready_ = false;
            }
        } else if (code == "503") {  // no responders: the stream or its consumer is gone (a memory store restarted)
            std::lock_guard lock(setup_mutex_);
            stream_ready_ = false;
            consumer_ready_ = false;
            throw Failure(Error(MODRT_ERR_UNAVAILABLE, owner_ + ": fetch: consumer " + options_.durable +
                                                           " does not answer; making it again")
                              .set_retryable(true));
        }
        if (!into.empty()) return;
        if (code == "404" || code == "408") return;  // no messages: the caller looks again
    }
}

std::string NatsQueue::next_message_id() {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx-%llu", static_cast<unsigned long long>(id_prefix_),
                  static_cast<unsigned long long>(id_counter_.fetch_add(1, std::memory_order_relaxed) + 1));
    return buf;
}

Error NatsQueue::publish(std::string_view body, ValueView headers) {
    natsMsg* raw = nullptr;
    if (natsStatus s = natsMsg_Create(&raw, options_.subject.c_str(), nullptr, body.data(), static_cast<int>(body.size()));
        s != NATS_OK)
        return nats::status_error(s, owner_ + ": publish");
    nats::MsgPtr msg(raw);
    for (size_t i = 0; headers.is_map() && i < headers.size(); ++i) {
        std::string key(headers.key(i));
        std::string value(headers[i].as_string());
        if (natsStatus s = natsMsgHeader_Set(msg.get(), key.c_str(), value.c_str()); s != NATS_OK)
            return nats::status_error(s, owner_ + ": publish header " + key);
    }
    const std::string id = next_message_id();
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = id.c_str();
    po.MaxWait = publish_timeout_.count();
    for (int tries = 0;; ++tries) {
        try {
            ensure_stream();
        } catch (const Failure& f) {
            return Error(f.release());
        }
        jsPubAck* ack = nullptr;
        jsErrCode code = static_cast<jsErrCode>(0);
        natsStatus s = js_PublishMsg(&ack, js_.get(), msg.get(), &po, &code);
        std::unique_ptr<jsPubAck, PubAckDeleter> owned(ack);
        if (s == NATS_OK) {
            std::lock_guard lock(mutex_);
            ++published_;
            return {};
        }
        // No stream answered: deleted behind our back, or a memory store restarted. Make it again, once.
        if ((s == NATS_NO_RESPONDERS || code == kStreamNotFound) && tries == 0) {
            std::lock_guard lock(setup_mutex_);
            stream_ready_ = false;
            continue;
        }
        Error err = js_error(s, code, owner_ + ": publish");
        if (code == kStoreFailed)
            return Error(MODRT_ERR_UNAVAILABLE, owner_ + ": stream " + options_.stream + " is full (" +
                                                    std::string(err.message()) + "; driver_options.nats.max_msgs / max_bytes)")
                .set_retryable(true);
        return err;
    }
}

void NatsQueue::fetch(int64_t deadline_ns, ValueSlot out) {
    const auto deadline = Clock::time_point(std::chrono::nanoseconds(deadline_ns));
    std::unique_lock lock(mutex_);
    const uint64_t wakes = wakes_;
    for (;;) {
        if (wakes_ != wakes) return;
        if (!buffer_.empty()) break;
        const auto now = Clock::now();
        if (now >= deadline) return;
        if (pulling_) {  // another worker pulls for everyone: wait for its batch
            cv_.wait_until(lock, deadline);
            continue;
        }
        pulling_ = true;
        const int batch = batch_;
        lock.unlock();
        std::deque<nats::MsgPtr> got;
        bool failed = false;
        try {
            // Short pulls: wake() is honoured within one (a pull in flight cannot be cut short).
            auto wait = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now),
                                 std::chrono::milliseconds(1000));
            pull(batch, std::max(wait, std::chrono::milliseconds(1)), got);
        } catch (const Failure& f) {
            Error err(f.release());
            trouble(err);
            failed = true;
        }
        if (!failed) recovered();
        lock.lock();
        pulling_ = false;
        pulled_ += got.size();
        for (auto& m : got) buffer_.push_back(std::move(m));
        cv_.notify_all();
        if (failed && buffer_.empty()) {
            // NATS is away: the connection reconnects on its own; look again a little later.
            cv_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(100)),
                           [&] { return wakes_ != wakes; });
        }
    }
    nats::MsgPtr msg = std::move(buffer_.front());
    buffer_.pop_front();
    lock.unlock();

    std::string id;
    if (const char* v = nullptr; natsMsgHeader_Get(msg.get(), "Nats-Msg-Id", &v) == NATS_OK && v != nullptr) id = v;
    int64_t attempt = 1;
    uint64_t stream_seq = 0;
    delivery_info(natsMsg_GetReply(msg.get()), attempt, stream_seq);
    if (id.empty()) id = options_.stream + ":" + std::to_string(stream_seq);
    const char** keys = nullptr;
    int key_count = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    if (natsMsgHeader_Keys(msg.get(), &keys, &key_count) == NATS_OK) {
        for (int i = 0; i < key_count; ++i) {
            std::string_view k = keys[i];
            if (k.substr(0, 5) == "Nats-") continue;  // NATS' own (Nats-Msg-Id, ...), not the publisher's
            const char* v = nullptr;
            if (natsMsgHeader_Get(msg.get(), keys[i], &v) == NATS_OK && v != nullptr) headers.emplace_back(k, v);
        }
        std::free(static_cast<void*>(keys));  // cnats: the array is the caller's, the strings are the message's
    }
    out.set_map(5);
    out.insert("id").set_string(id);
    out.insert("body").set_bytes(std::string_view(natsMsg_GetData(msg.get()), static_cast<size_t>(natsMsg_GetDataLength(msg.get()))));
    ValueSlot h = out.insert("headers");
    h.set_map(headers.size());
    for (const auto& [k, v] : headers) h.insert(k).set_string(v);
    std::lock_guard relock(mutex_);
    if (stream_seq != 0) {
        int64_t& seen = attempts_[stream_seq];
        seen = std::max(seen + 1, attempt);
        attempt = seen;
        if (attempts_.size() > kAttemptsKept) attempts_.erase(attempts_.begin());  // settled on another node
    }
    out.insert("attempt").set_int(attempt);
    const int64_t delivery = next_delivery_++;
    out.insert("delivery").set_int(delivery);
    in_flight_.emplace(delivery, std::move(msg));
}

Error NatsQueue::take(int64_t delivery, nats::MsgPtr& out) {
    std::lock_guard lock(mutex_);
    auto it = in_flight_.find(delivery);
    if (it == in_flight_.end())
        return Error(MODRT_ERR_NOT_FOUND,
                     owner_ + ": no unsettled delivery " + std::to_string(delivery) + " (settled already?)");
    out = std::move(it->second);
    in_flight_.erase(it);
    return {};
}

Error NatsQueue::ack(int64_t delivery) {
    nats::MsgPtr msg;
    if (Error err = take(delivery, msg); err.failed()) return err;
    // Not lost when it fails: the server hands the message out again after ack_wait.
    if (natsStatus s = reply_to(msg.get(), "+ACK"); s != NATS_OK) return nats::status_error(s, owner_ + ": ack");
    int64_t delivered = 0;
    uint64_t stream_seq = 0;
    delivery_info(natsMsg_GetReply(msg.get()), delivered, stream_seq);
    std::lock_guard lock(mutex_);
    attempts_.erase(stream_seq);
    ++acked_;
    return {};
}

Error NatsQueue::nack(int64_t delivery, int64_t delay_ns) {
    nats::MsgPtr msg;
    if (Error err = take(delivery, msg); err.failed()) return err;
    const int64_t delay_ms = std::max<int64_t>(delay_ns, 0) / 1'000'000;
    natsStatus s = reply_to(msg.get(), delay_ms > 0 ? "-NAK {\"delay\":" + std::to_string(delay_ms * 1'000'000) + "}" : "-NAK");
    if (s != NATS_OK) return nats::status_error(s, owner_ + ": nack");
    std::lock_guard lock(mutex_);
    ++nacked_;
    return {};
}

Error NatsQueue::release(int64_t delivery) {
    nats::MsgPtr msg;
    if (Error err = take(delivery, msg); err.failed()) return err;
    if (natsStatus s = reply_to(msg.get(), "-NAK"); s != NATS_OK) return nats::status_error(s, owner_ + ": release");
    std::lock_guard lock(mutex_);
    ++released_;
    return {};
}

void NatsQueue::wake() {
    {
        std::lock_guard lock(mutex_);
        ++wakes_;
    }
    cv_.notify_all();
}

void NatsQueue::info(ValueSlot out) {
    ensure_stream();
    jsStreamInfo* sraw = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&sraw, js_.get(), options_.stream.c_str(), nullptr, &code);
    std::unique_ptr<jsStreamInfo, StreamInfoDeleter> si(sraw);
    if (s != NATS_OK) throw Failure(js_error(s, code, owner_ + ": stream info"));
    jsConsumerInfo* craw = nullptr;
    code = static_cast<jsErrCode>(0);
    s = js_GetConsumerInfo(&craw, js_.get(), options_.stream.c_str(), options_.durable.c_str(), nullptr, &code);
    std::unique_ptr<jsConsumerInfo, ConsumerInfoDeleter> ci(craw);
    if (s != NATS_OK && !(s == NATS_NOT_FOUND || code == kConsumerNotFound))  // no consumer yet: only the stream's counts
        throw Failure(js_error(s, code, owner_ + ": consumer info"));
    out.set_map(12);
    out.insert("message_count").set_int(static_cast<int64_t>(si->State.Msgs));  // stored, not yet acked
    out.insert("bytes").set_int(static_cast<int64_t>(si->State.Bytes));
    out.insert("pending").set_int(ci ? static_cast<int64_t>(ci->NumPending) : static_cast<int64_t>(si->State.Msgs));
    out.insert("ack_pending").set_int(ci ? static_cast<int64_t>(ci->NumAckPending) : 0);
    out.insert("redelivered").set_int(ci ? static_cast<int64_t>(ci->NumRedelivered) : 0);
    std::lock_guard lock(mutex_);
    out.insert("buffered").set_int(static_cast<int64_t>(buffer_.size()));
    out.insert("pulled").set_int(static_cast<int64_t>(pulled_));
    out.insert("in_flight").set_int(static_cast<int64_t>(in_flight_.size()));
    out.insert("published").set_int(static_cast<int64_t>(published_));
    out.insert("acked").set_int(static_cast<int64_t>(acked_));
    out.insert("nacked").set_int(static_cast<int64_t>(nacked_));
    out.insert("released").set_int(static_cast<int64_t>(released_));
}

Error NatsQueue::subscribe(ValueView options) {
    int64_t prefetch = 10;
    for (size_t i = 0; options.is_map() && i < options.size(); ++i) {
        std::string_view k = options.key(i);
        if (k == "prefetch" && options[i].type() == MODRT_INT) prefetch = std::max<int64_t>(options[i].as_int(), 1);
        if (k == "driver_options" && !options[i].is_nil() && options[i].size() > 0)
            return Error(MODRT_ERR_INVALID, "driver_options.nats: a queue.driver.nats consumer takes no options (the "
                                            "durable consumer's settings are the queue's driver_options.nats)")
                .set_field("driver_options");
    }
    try {
        (void)subscription();  // the consumer exists before the first worker pulls
    } catch (const Failure& f) {
        Error err(f.release());
        if (!err.retryable()) return err;
        trouble(err);  // NATS not up yet: the first pull makes it
    }
    std::lock_guard lock(mutex_);
    batch_ = std::max(batch_, static_cast<int>(std::min<int64_t>(prefetch, 10'000)));
    if (subscribers_++ == 0) heartbeat_ = std::jthread([this](std::stop_token stop) { heartbeat(stop); });
    return {};
}

void NatsQueue::unsubscribe() {
    std::jthread ending;
    std::deque<nats::MsgPtr> returned;
    {
        std::lock_guard lock(mutex_);
        if (subscribers_ == 0 || --subscribers_ > 0) return;
        ending = std::move(heartbeat_);
        returned.swap(buffer_);
        released_ += returned.size();
    }
    ending.request_stop();
    heartbeat_cv_.notify_all();
    // Pulled but never handed to a worker: back to the stream now, for whichever node pulls next.
    for (auto& m : returned) reply_to(m.get(), "-NAK");
}

void NatsQueue::heartbeat(std::stop_token stop) {
    // A third of ack_wait: two heartbeats may be lost before the server gives the message to another node.
    const auto every = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(options_.ack_wait) / 3,
                                std::chrono::milliseconds(30));
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        heartbeat_cv_.wait_for(lock, stop, every, [] { return false; });
        if (stop.stop_requested()) return;
        for (auto& m : buffer_) reply_to(m.get(), "+WPI");
        for (auto& [delivery, m] : in_flight_) reply_to(m.get(), "+WPI");
    }
}

void NatsQueue::trouble(const Error& err) {
    std::string what(err.message());
    std::lock_guard lock(mutex_);
    if (what == trouble_) return;
    trouble_ = what;
    log(MODRT_LOG_WARN, "nats", what + "; retrying");
}

void NatsQueue::recovered() {
    std::lock_guard lock(mutex_);
    if (trouble_.empty()) return;
    trouble_.clear();
    log(MODRT_LOG_INFO, "nats", owner_ + ": working again");
}

}  // namespace modrt::queue_nats

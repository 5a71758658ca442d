// The caller's reply inbox (reply_mux.hpp).
#include "reply_mux.hpp"

#include "nats_status.hpp"

#include <charconv>
#include <chrono>

namespace modrt::remote {

PendingReply::Outcome PendingReply::wait(int64_t deadline_ns) {
    std::unique_lock lock(mutex_);
    while (!reply_ && !canceled_) {
        int64_t left = deadline_ns - host_api().now_ns();
        if (left <= 0) return Outcome::timed_out;
        cv_.wait_for(lock, std::chrono::nanoseconds(left));
    }
    return reply_ ? Outcome::replied : Outcome::canceled;
}

void PendingReply::deliver(nats::MsgPtr msg) {
    {
        std::lock_guard lock(mutex_);
        if (reply_) return;  // a second reply to one request: keep the first
        reply_ = std::move(msg);
    }
    cv_.notify_one();
}

void PendingReply::cancel(modrt_error_kind why) {
    {
        std::lock_guard lock(mutex_);
        canceled_ = true;
        cancel_kind_ = why;
    }
    cv_.notify_one();
}

ReplyMux::ReplyMux(nats::ConnectionPtr connection) : connection_(std::move(connection)) {
    natsInbox* inbox = nullptr;
    nats::check(natsInbox_Create(&inbox), "make a reply inbox");
    inbox_ = inbox;
    natsInbox_Destroy(inbox);
    sub_ = std::make_unique<AsyncSubscription>(connection_.get(), inbox_ + ".*", "",
                                               [this](nats::MsgPtr m) { on_reply(std::move(m)); });
}

ReplyMux::~ReplyMux() { sub_.reset(); }

void ReplyMux::on_reply(nats::MsgPtr msg) {
    std::string_view subject = natsMsg_GetSubject(msg.get());
    if (subject.size() <= inbox_.size() + 1) return;
    subject.remove_prefix(inbox_.size() + 1);
    uint64_t token = 0;
    if (std::from_chars(subject.data(), subject.data() + subject.size(), token).ec != std::errc()) return;
    std::shared_ptr<PendingReply> pending;
    {
        std::lock_guard lock(mutex_);
        auto it = waiting_.find(token);
        if (it == waiting_.end()) return;  // a late reply to a call that gave up
        pending = it->second;
    }
    pending->deliver(std::move(msg));
}

ReplyMux::Call::Call(ReplyMux& mux) : mux_(mux), pending_(std::make_shared<PendingReply>()) {
    {
        std::lock_guard lock(mux_.mutex_);
        token_ = mux_.next_token_++;
        mux_.waiting_.emplace(token_, pending_);
    }
    subject_ = mux_.inbox_ + "." + std::to_string(token_);
}

ReplyMux::Call::~Call() {
    std::lock_guard lock(mux_.mutex_);
    mux_.waiting_.erase(token_);
}

}  // namespace modrt::remote

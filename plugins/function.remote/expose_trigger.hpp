// One running function.expose entry: a queue subscription per listed function (so every node
// exposing it shares the calls), `concurrency` worker threads that run each request as a root
// call with the caller's actor and context, this entry's scope and the request's remaining
// time, and a subscription to cancels. Stop: no new requests (late ones are answered with a
// retryable Unavailable so callers go elsewhere), those accepted finish until the deadline,
// then the rest are canceled.
#pragma once

#include "async_subscription.hpp"
#include "connections.hpp"
#include "expose_spec.hpp"

#include <modrt/sdk.hpp>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace modrt::remote {

class ExposeTrigger final : public Trigger {
public:
    ExposeTrigger(const Host& host, nats::Connections& connections, ExposeSpec spec, TriggerIdentity identity);
    ~ExposeTrigger() override;

    Error start(ValueSlot out) override;
    void stop(int64_t deadline_ns) override;

private:
    struct Job {
        nats::MsgPtr msg;
        const std::string* function;  // into spec_.functions
    };

    void on_request(const std::string& function, nats::MsgPtr msg);
    void on_cancel(nats::MsgPtr msg);
    void work();
    void serve(Job& job);
    /// Run the decoded request; the reply's bytes.
    std::string run(const std::string& function, const std::string& reply_subject, std::string_view body);
    void publish(const char* reply_subject, const std::string& bytes);
    /// Whether a cancel for `reply_subject` came before its request started; takes it. Called with mutex_ held.
    bool take_early_cancel(const std::string& reply_subject);

    const Host& host_;
    nats::Connections& connections_;
    ExposeSpec spec_;
    TriggerIdentity identity_;
    nats::ConnectionPtr nc_;

    std::mutex mutex_;
    std::condition_variable work_cv_;   // a job came, or workers must exit
    std::condition_variable space_cv_;  // the queue has room, or stopping
    std::condition_variable idle_cv_;   // the queue is empty and no call runs
    std::deque<Job> queue_;
    size_t busy_ = 0;
    bool stopping_ = false, exiting_ = false;
    std::unordered_map<std::string, const RootFrame*> running_;  // reply subject -> its call's frame
    // Cancels for calls not running here (most are for calls other nodes serve): the last 1024,
    // in arrival order and as a set, since every request start looks its reply subject up.
    std::deque<std::string> early_order_;
    std::unordered_set<std::string> early_cancels_;

    std::vector<std::jthread> workers_;
    std::vector<std::unique_ptr<AsyncSubscription>> requests_;
    std::unique_ptr<AsyncSubscription> cancels_;
};

}  // namespace modrt::remote

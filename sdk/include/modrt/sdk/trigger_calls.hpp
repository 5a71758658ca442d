// modrt SDK, a trigger's calls: the identity they run as (its entry's `lifecycle.security`)
// and the root frame each request or run makes them under (ABI minor 6).
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_TRIGGER_CALLS_HPP
#define MODRT_SDK_TRIGGER_CALLS_HPP

#include <modrt/sdk/calls.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace modrt {

/// Who a trigger's root calls run as, read from its entry in Wippy's shape:
///
///   lifecycle:
///     security:
///       actor: {id: "service:gateway", meta: {role: admin}}
///       policies: [app:read_users]   # policy ids
///       groups: [app:admins]         # policy groups: their policies join the scope
///
/// Without it the calls are anonymous and carry no scope, which a strict security provider
/// denies. A trigger may replace the actor per call (a token_auth middleware does).
class TriggerIdentity {
public:
    TriggerIdentity() = default;

    /// Read `lifecycle.security` of the entry; throws Failure (with set_field) when malformed.
    static TriggerIdentity from_entry(const EntryInfo& info) {
        TriggerIdentity id;
        ValueView sec = info.field("lifecycle").find("security");
        if (sec.is_nil()) return id;
        if (!sec.is_map())
            throw Failure(Error(MODRT_ERR_INVALID, "lifecycle.security: expected a map (actor, policies, groups)")
                              .set_field("lifecycle.security"));
        ValueView actor = sec.find("actor");
        if (!actor.is_nil()) {
            ValueView aid = actor.find("id");
            if (!actor.is_map() || !aid.is_string() || aid.as_string().empty())
                throw Failure(Error(MODRT_ERR_INVALID, "lifecycle.security.actor: expected {id: string, meta: map}")
                                  .set_field("lifecycle.security.actor"));
            ValueView meta = actor.find("meta");
            if (!meta.is_nil() && !meta.is_map())
                throw Failure(Error(MODRT_ERR_INVALID, "lifecycle.security.actor.meta: expected a map")
                                  .set_field("lifecycle.security.actor.meta"));
            id.actor_ = std::shared_ptr<modrt_actor>(host_api().actor_new(to_str(aid.as_string()),
                                                                          meta.is_nil() ? nullptr : meta.raw()),
                                                     ActorRelease{});
        }
        id.policies_ = ids(sec, "policies");
        id.groups_ = ids(sec, "groups");
        if (id.groups_.empty()) id.scope_ = list_scope(id.policies_);
        return id;
    }

    /// Turn groups into their policies (host security_scope_policies), once every entry is
    /// loaded (call it at start). Throws Failure naming lifecycle.security.groups when a group
    /// is unknown or no security provider can list it.
    void resolve(const Host& host) {
        if (groups_.empty()) return;
        if (policies_.empty() && groups_.size() == 1) {  // one group is a scope of its own
            scope_ = groups_.front();
            return;
        }
        std::vector<std::string> all = policies_;
        for (const auto& g : groups_) {
            Value listed;
            Error err(host.api().security_scope_policies(host.runtime(), to_str(g), listed.raw()));
            if (err.failed())
                throw Failure(Error(err.kind(), "lifecycle.security.groups: " + std::string(err.message()))
                                  .set_field("lifecycle.security.groups"));
            ValueView v = listed.view();
            for (size_t i = 0; i < v.size(); ++i) all.emplace_back(v[i].as_string());
        }
        scope_ = list_scope(all);
    }

    /// Call options with this actor and scope, a relative `timeout` (0: none) and a context map (may be null).
    /// They point into this object and `context`: keep both alive for the call.
    modrt_call_options options(std::chrono::nanoseconds timeout, const modrt_value* context) const noexcept {
        modrt_call_options o{};
        o.struct_size = sizeof o;
        o.context = context;
        o.actor = actor_.get();
        o.scope = to_str(scope_);
        o.timeout_ns = timeout.count();
        return o;
    }
    /// The actor (null: anonymous).
    const modrt_actor* actor() const noexcept { return actor_.get(); }
    /// The scope string (abi.h Scopes): "ns:group" or "[ns:p1,ns:p2]"; empty when none.
    const std::string& scope() const noexcept { return scope_; }

private:
    struct ActorRelease {
        void operator()(modrt_actor* a) const noexcept { host_api().actor_release(a); }
    };

    static std::vector<std::string> ids(ValueView sec, const char* key) {
        std::vector<std::string> out;
        ValueView list = sec.find(key);
        if (list.is_nil()) return out;
        const std::string field = std::string("lifecycle.security.") + key;
        if (!list.is_array())
            throw Failure(Error(MODRT_ERR_INVALID, field + ": expected a list of ids (ns:name)").set_field(field));
        for (size_t i = 0; i < list.size(); ++i) {
            std::string_view id = list[i].is_string() ? list[i].as_string() : std::string_view();
            if (id.find(':') == std::string_view::npos || id.find_first_of(",[] ") != std::string_view::npos)
                throw Failure(Error(MODRT_ERR_INVALID, field + ": expected ids such as app:readers").set_field(field));
            out.emplace_back(id);
        }
        return out;
    }
    static std::string list_scope(const std::vector<std::string>& policies) {
        if (policies.empty()) return "";
        std::string s = "[";
        for (size_t i = 0; i < policies.size(); ++i) s += (i ? "," : "") + policies[i];
        return s + "]";
    }

    std::shared_ptr<modrt_actor> actor_;  // one reference, however many copies of the identity
    std::vector<std::string> policies_, groups_;
    std::string scope_;
};

/// An owned root frame (host root_frame_new, ABI minor 6): the parent of the calls one request
/// or run makes. cancel() stops every call beneath it, from any thread; the frame is released
/// on destruction, which must come after every call made under it has returned.
class RootFrame {
public:
    RootFrame() = default;
    /// A root frame with `options` (TriggerIdentity::options), lending `attachment` under `key`
    /// to the functions beneath (frame_attachment). Throws Failure(INTERNAL) when out of memory.
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    static RootFrame make(const Host& host, const modrt_call_options& options, std::string_view key = {},
                          void* attachment = nullptr) {
        static_assert(TargetMinor >= 6, "RootFrame needs ABI minor 6: raise MODRT_TARGET_ABI_MINOR");
        RootFrame r;
        r.f_ = host.api().root_frame_new(host.runtime(), &options, to_str(key), attachment);
        if (r.f_ == nullptr) throw Failure(MODRT_ERR_INTERNAL, "out of memory making a root frame");
        return r;
    }
    RootFrame(RootFrame&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
    RootFrame& operator=(RootFrame&& o) noexcept {
        std::swap(f_, o.f_);
        return *this;
    }
    RootFrame(const RootFrame&) = delete;
    RootFrame& operator=(const RootFrame&) = delete;
    ~RootFrame() {
        if (f_) host_api().root_frame_release(f_);
    }

    /// Become a fresh root frame with `options`, `key` and `attachment`, as `*this = make(...)`
    /// would, but reusing the frame's memory (host root_frame_renew, ABI minor 8; before it,
    /// release then make). Every call made under the frame must have returned. Throws
    /// Failure(INTERNAL) when out of memory, leaving no frame.
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    void renew(const Host& host, const modrt_call_options& options, std::string_view key = {},
               void* attachment = nullptr) {
        static_assert(TargetMinor >= 6, "RootFrame needs ABI minor 6: raise MODRT_TARGET_ABI_MINOR");
        if constexpr (TargetMinor >= 8) {
            f_ = host.api().root_frame_renew(host.runtime(), std::exchange(f_, nullptr), &options, to_str(key),
                                             attachment);
            if (f_ == nullptr) throw Failure(MODRT_ERR_INTERNAL, "out of memory making a root frame");
        } else {
            *this = RootFrame();
            *this = make<TargetMinor>(host, options, key, attachment);
        }
    }

    modrt_frame* raw() const noexcept { return f_; }
    /// Cancel every call beneath (CANCELED); safe from any thread while the frame lives.
    void cancel() const noexcept { host_api().root_frame_cancel(f_); }

private:
    modrt_frame* f_ = nullptr;
};

/// What the root frame above `frame` lends under `key` (host frame_attachment, ABI minor 6); null when none.
template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
void* frame_attachment(const Frame& frame, std::string_view key) noexcept {
    static_assert(TargetMinor >= 6, "frame_attachment needs ABI minor 6: raise MODRT_TARGET_ABI_MINOR");
    return host_api().frame_attachment(frame.raw(), to_str(key));
}

}  // namespace modrt

#endif  // MODRT_SDK_TRIGGER_CALLS_HPP

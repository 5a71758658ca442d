// modrt SDK, Shared objects: what the provides of one plugin instance share (Host::shared).
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
//
// Each provide (a kind, a data kind, a trigger...) is constructed on its own from the Host, so
// two of them cannot otherwise hold the same object: a scratch state, a connection, a cache.
#ifndef MODRT_SDK_SHARED_OBJECTS_HPP
#define MODRT_SDK_SHARED_OBJECTS_HPP

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace modrt {

namespace detail {
template <class T>
inline constexpr char shared_key = 0;  // its address names T within this plugin; no RTTI needed
}  // namespace detail

/// One plugin instance's shared objects, one per type, made on first ask. The instance owns it
/// and destroys it after its provides, so a provide may keep what it got for its whole life.
class SharedObjects {
public:
    /// The instance's T (default-constructed the first time any provide asks for it).
    template <class T>
    std::shared_ptr<T> get() {
        std::lock_guard lock(mutex_);
        for (const auto& [key, object] : objects_)
            if (key == &detail::shared_key<T>) return std::static_pointer_cast<T>(object);
        auto made = std::make_shared<T>();
        objects_.emplace_back(&detail::shared_key<T>, made);
        return made;
    }

private:
    std::mutex mutex_;  // provides may be constructed, and entries created, on several threads
    std::vector<std::pair<const void*, std::shared_ptr<void>>> objects_;
};

}  // namespace modrt

#endif  // MODRT_SDK_SHARED_OBJECTS_HPP

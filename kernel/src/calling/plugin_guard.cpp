// The messages of the plugin guard (plugin_guard.hpp): built only after a plugin threw.
#include "calling/plugin_guard.hpp"

#include "host_api/host_oom.hpp"
#include "loading/plugin_catalog.hpp"

#include <modrt/kernel/error.hpp>

#include <exception>

namespace modrt::kernel {

std::string plugin_label(const LoadedPlugin* owner) {
    return owner ? owner->record().name + " (" + owner->record().file.string() + ")" : "plugin";
}

std::string threw_text(std::string_view hook) {
    std::string text = std::string(hook) + " threw an exception";
    try {
        throw;  // the exception being handled: say what it was when it says so itself
    } catch (const std::exception& e) {
        if (const char* what = e.what(); what != nullptr && *what != '\0') text += std::string(": ") + what;
    } catch (...) {  // not a std::exception: nothing more to say
    }
    return text;
}

std::string plugin_threw_message(const LoadedPlugin* owner, std::string_view hook) {
    return plugin_label(owner) + ": " + threw_text(hook);
}

modrt_error* plugin_threw(const LoadedPlugin* owner, std::string_view hook) noexcept {
    try {
        return make_error(MODRT_ERR_INTERNAL, plugin_threw_message(owner, hook)).release();
    } catch (...) {
        note_host_alloc_failure();
        return nullptr;
    }
}

}  // namespace modrt::kernel

// function.native: `source: file://libfoo.so`, `method: symbol` names a
// modrt_native_fn in a shared library the kernel loads (and keeps loaded); the
// library must also export the symbol's marker (see check_marker).
//
// Written against the C ABI directly rather than sdk.hpp's FunctionKind: the
// entry handle is the function pointer itself, so a call costs one indirect
// call on top of the kernel's path (the native_inline benchmark measures it).
#include <modrt/sdk.hpp>

#include <cstdint>
#include <cstring>
#include <string>

namespace {

struct NativeKind {
    const modrt_host_api* host;
};

modrt_error* invalid(const modrt_host_api* host, const std::string& message, const char* field) {
    modrt::detail::set_host(host);
    return modrt::Error(MODRT_ERR_INVALID, message).set_field(field).release();
}

std::string view(modrt_str s) { return std::string(s.ptr, s.len); }

// How a C++ compiler names `modrt_error* NAME(const modrt_host_api*, modrt_frame*, const
// modrt_value*, modrt_value*)` at namespace scope (Itanium ABI, as GCC and Clang do): finding
// it means the author exported the function without extern "C".
std::string cxx_mangled(const std::string& name) {
    return "_Z" + std::to_string(name.size()) + name + "PK14modrt_host_apiP11modrt_framePK11modrt_valuePS4_";
}

// Turn a library_symbol failure into a registry error on the field to fix: a missing
// symbol is the method's (with the usual cause spelled out), a bad library the source's.
modrt_error* symbol_error(const modrt_host_api* host, const modrt_entry_info* info, modrt_error* err) {
    const bool missing = host->error_kind(err) == MODRT_ERR_NOT_FOUND;
    std::string message = view(host->error_message(err));
    host->error_free(err);
    if (!missing) return invalid(host, message, "source");
    const std::string mangled = cxx_mangled(view(info->method));
    modrt_error* probe = nullptr;
    if (host->library_symbol(host->runtime, info->source_path, modrt::to_str(mangled), &probe) != nullptr)
        message += ": the library exports it with C++ linkage, as " + mangled;
    else host->error_free(probe);
    message += " (a C++ function needs MODRT_NATIVE_FUNCTION or extern \"C\", otherwise its name is mangled;"
               " a C function needs MODRT_NATIVE_EXPORT)";
    return invalid(host, message, "method");
}

// A symbol is bound only when the SDK marked it (MODRT_NATIVE_FUNCTION / MODRT_NATIVE_EXPORT
// export modrt_native_marker_<name>): calling any other export (libc's abort, a data
// symbol, a function of another signature) through modrt_native_fn would crash the process.
modrt_error* check_marker(const modrt_host_api* host, const modrt_entry_info* info) {
    const std::string method = view(info->method);
    const std::string where = "'" + method + "' in " + view(info->source_path);
    const std::string marker_name = "modrt_native_marker_" + method;
    modrt_error* err = nullptr;
    const void* marker = host->library_symbol(host->runtime, info->source_path, modrt::to_str(marker_name), &err);
    if (marker == nullptr) {
        host->error_free(err);
        return invalid(host,
                       where +
                           " is not a modrt native function: declare it with MODRT_NATIVE_FUNCTION"
                           " (C: MODRT_NATIVE_EXPORT), which also exports its marker " +
                           marker_name + ", missing here",
                       "method");
    }
    uint64_t value = 0;
    std::memcpy(&value, marker, sizeof value);
    if (value == MODRT_NATIVE_MARKER) return nullptr;
    constexpr uint64_t kTagMask = ~uint64_t{0xffff};
    if ((value & kTagMask) == (MODRT_NATIVE_MARKER & kTagMask))
        return invalid(host,
                       where + " was built for modrt ABI " + std::to_string(value & 0xffff) +
                           ", this runtime has ABI " + std::to_string(MODRT_ABI_MAJOR) + ": rebuild the library",
                       "method");
    return invalid(host,
                   where + " has a " + marker_name +
                       " symbol that is not a modrt marker: declare the function"
                       " with MODRT_NATIVE_FUNCTION (C: MODRT_NATIVE_EXPORT) only",
                   "method");
}

modrt_error* entry_create(void* plugin, const modrt_entry_info* info, void** out) {
    const modrt_host_api* host = static_cast<NativeKind*>(plugin)->host;
    if (info->source_path.len == 0) return invalid(host, "function.native needs 'source: file://lib.so'", "source");
    if (info->method.len == 0) return invalid(host, "function.native needs 'method' (the exported symbol)", "method");
    modrt_error* err = nullptr;
    void* symbol = host->library_symbol(host->runtime, info->source_path, info->method, &err);
    if (symbol == nullptr) return symbol_error(host, info, err);
    if (modrt_error* refused = check_marker(host, info)) return refused;
    *out = symbol;
    return nullptr;
}

void entry_destroy(void*, void*) {}  // the library stays loaded with the runtime

modrt_error* invoke(void* plugin, void* entry, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    return reinterpret_cast<modrt_native_fn>(entry)(static_cast<NativeKind*>(plugin)->host, frame, args, result);
}

modrt_error* init(const modrt_host_api* host, const modrt_value*, void** out) {
    *out = std::make_unique<NativeKind>(NativeKind{host}).release();  // owned until shutdown
    return nullptr;
}

void shutdown(void* plugin) { std::unique_ptr<NativeKind> owned(static_cast<NativeKind*>(plugin)); }

const modrt_kind_api kKind{sizeof(modrt_kind_api), &entry_create, &entry_destroy, &invoke};
const modrt_provide kProvides[] = {{sizeof(modrt_provide), MODRT_EXT_FUNCTION_KIND, "function.native", &kKind}};
const modrt_plugin_descriptor kDescriptor{sizeof(modrt_plugin_descriptor),
                                          MODRT_ABI_MAJOR,
                                          MODRT_TARGET_ABI_MINOR,  // the oldest minor it needs (abi.h, the rule)
                                          "function.native",
                                          "0.1.0",
                                          kProvides,
                                          1,
                                          &init,
                                          &shutdown};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }

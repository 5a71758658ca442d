// function.native: `source: file://libfoo.so`, `method: symbol` names a
// modrt_native_fn in a shared library the kernel loads (and keeps loaded).
//
// Written against the C ABI directly rather than sdk.hpp's FunctionKind: the
// entry handle is the function pointer itself, so a call costs one indirect
// call on top of the kernel's path (the native_inline benchmark measures it).
#include <modrt/sdk.hpp>

#include <string>

namespace {

struct NativeKind {
    const modrt_host_api* host;
};

modrt_error* invalid(const modrt_host_api* host, const std::string& message, const char* field) {
    modrt::detail::set_host(host);
    return modrt::Error(MODRT_ERR_INVALID, message).set_field(field).release();
}

modrt_error* entry_create(void* plugin, const modrt_entry_info* info, void** out) {
    const modrt_host_api* host = static_cast<NativeKind*>(plugin)->host;
    if (info->source_path.len == 0) return invalid(host, "function.native needs 'source: file://lib.so'", "source");
    if (info->method.len == 0) return invalid(host, "function.native needs 'method' (the exported symbol)", "method");
    modrt_error* err = nullptr;
    void* symbol = host->library_symbol(host->runtime, info->source_path, info->method, &err);
    if (symbol == nullptr) {
        // Point the registry error at the field to fix: a missing symbol is the method's.
        const char* field = host->error_kind(err) == MODRT_ERR_NOT_FOUND ? "method" : "source";
        host->value_set_string(host->value_insert(host->error_details_mut(err), modrt::to_str("field")),
                               modrt::to_str(field));
        host->error_set_retryable(err, 0);
        if (host->error_kind(err) != MODRT_ERR_INVALID) {
            modrt_error* invalid_err = host->error_new(MODRT_ERR_INVALID, host->error_message(err));
            host->value_copy(host->error_details_mut(invalid_err), host->error_details(err));
            host->error_free(err);
            err = invalid_err;
        }
        return err;
    }
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
                                          MODRT_ABI_MINOR,
                                          "function.native",
                                          "0.1.0",
                                          kProvides,
                                          1,
                                          &init,
                                          &shutdown};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }

/* function.native functions written in plain C with abi.h's MODRT_NATIVE_EXPORT
 * (native_test.cpp, KernelNativeMarker): both the declaration and the definition form. */
#include <modrt/abi.h>

/* c_add(a, b) -> a + b */
MODRT_NATIVE_EXPORT(c_add);
modrt_error* c_add(const modrt_host_api* host, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    (void)frame;
    host->value_set_int(result, host->value_int(host->value_at(args, 0)) + host->value_int(host->value_at(args, 1)));
    return NULL;
}

/* c_answer() -> 42 */
MODRT_NATIVE_EXPORT(c_answer) {
    (void)frame;
    (void)args;
    host->value_set_int(result, 42);
    return NULL;
}

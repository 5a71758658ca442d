/* An error whose kind is no modrt_error_kind. Written in C, where an enum is
 * just an int and 999 is a value a foreign plugin can legally pass; in C++ the
 * same cast would be undefined behaviour inside the plugin itself. */
#include <modrt/abi.h>

modrt_error* faulty_bogus_kind_error(const modrt_host_api* host) {
    static const char msg[] = "made-up kind";
    modrt_str s = {msg, sizeof msg - 1};
    return host->error_new((modrt_error_kind)999, s);
}

// function.native functions of the acme app, built against the installed SDK.
#include <modrt/sdk.hpp>

#include <cctype>
#include <string>

#include <sys/syscall.h>
#include <unistd.h>

// shout(s) -> s upper-cased
MODRT_NATIVE_FUNCTION(shout) {
    (void)frame;
    if (args.size() != 1 || !args[0].is_string()) return modrt::Error(MODRT_ERR_INVALID, "shout takes one string");
    std::string s(args[0].as_string());
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    result.set_string(s);
    return {};
}

// where() -> "main" on the process's main thread, "worker" on any other thread
MODRT_NATIVE_FUNCTION(where) {
    (void)frame;
    (void)args;
    bool main_thread = static_cast<pid_t>(syscall(SYS_gettid)) == getpid();
    result.set_string(main_thread ? "main" : "worker");
    return {};
}

// shout_many(s, n) -> calls acme.text:shout n times through the kernel; an array of the results
MODRT_NATIVE_FUNCTION(shout_many) {
    if (args.size() != 2 || !args[0].is_string())
        return modrt::Error(MODRT_ERR_INVALID, "shout_many takes a string and a count");
    int64_t n = args[1].as_int();
    modrt::Value call_args;
    call_args.slot().set_array(1);
    call_args.slot().push().copy_from(args[0]);
    result.set_array(static_cast<size_t>(n > 0 ? n : 0));
    for (int64_t i = 0; i < n; ++i) {
        modrt::Value one;
        modrt::Error err = host.call(frame.raw(), "acme.text:shout", call_args.view(), one.slot());
        if (err.failed()) {
            err.wrap("call " + std::to_string(i + 1) + " of " + std::to_string(n));
            return err;
        }
        result.push().copy_from(one.view());
    }
    return {};
}

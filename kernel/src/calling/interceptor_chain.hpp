// What the host API offers interceptors beyond next->invoke (dispatcher.cpp
// owns the chain, so it implements this too).
#pragma once

#include <modrt/abi.h>

namespace modrt::kernel {

/// host->next_invoke_with: run the rest of the chain behind `next` in a child frame of
/// `frame` with `options` applied (how an interceptor adds context or a timeout).
modrt_error* next_invoke_with(const modrt_next* next, modrt_frame* frame, const modrt_call_options* options,
                              const modrt_value* args, modrt_value* result);

}  // namespace modrt::kernel

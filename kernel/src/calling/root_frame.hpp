// Root frames made by plugins (abi.h minor 6: root_frame_new, root_frame_cancel,
// root_frame_release, frame_attachment; minor 8: root_frame_renew). A trigger makes one per request or run, calls
// under it, and cancels it when the request goes away; it may lend the calls an object
// (the HTTP exchange) that functions beneath find with frame_attachment.
#pragma once

#include <modrt/abi.h>

namespace modrt::kernel {

modrt_frame* root_frame_new(modrt_runtime* rt, const modrt_call_options* options, modrt_str key,
                            void* attachment) noexcept;
modrt_frame* root_frame_renew(modrt_runtime* rt, modrt_frame* frame, const modrt_call_options* options, modrt_str key,
                              void* attachment) noexcept;
void root_frame_cancel(modrt_frame* frame) noexcept;
void root_frame_release(modrt_frame* frame) noexcept;
void* frame_attachment(const modrt_frame* frame, modrt_str key) noexcept;

}  // namespace modrt::kernel

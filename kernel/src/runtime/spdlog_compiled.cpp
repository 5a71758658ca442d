// spdlog's implementation, compiled once, into the kernel (cmake/LinkedDeps.cmake): Debian ships
// spdlog's implementation headers (*-inl.h) but no static library. With SPDLOG_COMPILED_LIB set
// everywhere, every other file includes only declarations: header-only spdlog made each of the
// eleven files that log twice as long to compile (18 s instead of 9).
// What is here follows what the kernel uses: the logger, its pattern, and a colour stderr sink.
#ifndef SPDLOG_COMPILED_LIB
#error "spdlog_compiled.cpp is for SPDLOG_COMPILED_LIB builds (MODRT_LINK_DEPS_STATIC)"
#endif

#include <spdlog/common-inl.h>
#include <spdlog/details/backtracer-inl.h>
#include <spdlog/details/log_msg-inl.h>
#include <spdlog/details/log_msg_buffer-inl.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/details/os-inl.h>
#include <spdlog/details/periodic_worker-inl.h>
#include <spdlog/details/registry-inl.h>
#include <spdlog/logger-inl.h>
#include <spdlog/pattern_formatter-inl.h>
#include <spdlog/sinks/ansicolor_sink-inl.h>
#include <spdlog/sinks/base_sink-inl.h>
#include <spdlog/sinks/sink-inl.h>
#include <spdlog/sinks/stdout_color_sinks-inl.h>
#include <spdlog/spdlog-inl.h>

#include <mutex>

// The templates the kernel's files use, instantiated here because their definitions are only here.
template class spdlog::sinks::base_sink<std::mutex>;
template class spdlog::sinks::ansicolor_sink<spdlog::details::console_mutex>;
template class spdlog::sinks::ansicolor_stderr_sink<spdlog::details::console_mutex>;
template std::shared_ptr<spdlog::logger> spdlog::stderr_color_mt<spdlog::synchronous_factory>(
    const std::string& logger_name, color_mode mode);

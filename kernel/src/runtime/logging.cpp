#include "runtime/logging.hpp"

#include <modrt/kernel/runtime.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace modrt::kernel {

spdlog::logger* logger() {
    // spdlog's registry is process-wide; one logger per process is its model.
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = spdlog::stderr_color_mt("modrt");
        l->set_pattern("%^[%l]%$ %v");
        l->set_level(spdlog::level::warn);
        return l;
    }();
    return instance.get();
}

bool set_log_level(std::string_view level) {
    auto parsed = spdlog::level::from_str(std::string(level));
    if (parsed == spdlog::level::off && level != "off") return false;
    logger()->set_level(parsed);
    return true;
}

}  // namespace modrt::kernel

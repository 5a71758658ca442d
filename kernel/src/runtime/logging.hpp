// The kernel's logger; plugins reach it through host->log.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace modrt::kernel {
/// The one "modrt" logger (stderr). Created on first use.
spdlog::logger* logger();
}  // namespace modrt::kernel

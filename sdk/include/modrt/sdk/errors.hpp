// modrt SDK, Errors: an owned modrt_error handle, and the exception that carries one out of a plugin hook.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_ERRORS_HPP
#define MODRT_SDK_ERRORS_HPP

#include <modrt/sdk/values.hpp>

#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace modrt {

/// An owned error handle; empty means success.
class Error {
public:
    Error() = default;
    explicit Error(modrt_error* e) noexcept : e_(e) {}
    Error(modrt_error_kind kind, std::string_view message) : e_(host_api().error_new(kind, to_str(message))) {}
    Error(Error&& o) noexcept : e_(std::exchange(o.e_, nullptr)) {}
    Error& operator=(Error&& o) noexcept {
        std::swap(e_, o.e_);
        return *this;
    }
    Error(const Error&) = delete;
    Error& operator=(const Error&) = delete;
    ~Error() {
        if (e_) host_api().error_free(e_);
    }

    bool failed() const noexcept { return e_ != nullptr; }
    modrt_error* raw() const noexcept { return e_; }
    /// Give up ownership (to return it across the ABI).
    modrt_error* release() noexcept { return std::exchange(e_, nullptr); }

    modrt_error_kind kind() const noexcept { return host_api().error_kind(e_); }
    std::string_view message() const noexcept { return to_view(host_api().error_message(e_)); }
    bool retryable() const noexcept { return host_api().error_retryable(e_) != 0; }
    ValueView details() const noexcept { return ValueView(host_api().error_details(e_)); }
    std::string_view stack() const noexcept { return to_view(host_api().error_stack(e_)); }

    // Setters chain on lvalues and on temporaries: throw Failure(Error(k, m).set_field("source")).
    Error& set_retryable(bool r) & noexcept {
        host_api().error_set_retryable(e_, r ? 1 : 0);
        return *this;
    }
    Error&& set_retryable(bool r) && noexcept { return std::move(set_retryable(r)); }
    Error& set_stack(std::string_view s) & noexcept {
        host_api().error_set_stack(e_, to_str(s));
        return *this;
    }
    Error&& set_stack(std::string_view s) && noexcept { return std::move(set_stack(s)); }
    ValueSlot details_slot() noexcept { return ValueSlot(host_api().error_details_mut(e_)); }
    /// Point the kernel at the registry field this error is about (shown with its line).
    Error& set_field(std::string_view field) & {
        ValueSlot d = details_slot();
        if (!d.view().is_map()) d.set_map();
        d.insert("field").set_string(field);
        return *this;
    }
    Error&& set_field(std::string_view field) && { return std::move(set_field(field)); }
    /// Prefix the message with `context` ("context: message"), keeping kind, details and stack.
    Error& wrap(std::string_view context) & noexcept {
        host_api().error_wrap(e_, to_str(context));
        return *this;
    }
    Error&& wrap(std::string_view context) && noexcept { return std::move(wrap(context)); }

private:
    modrt_error* e_ = nullptr;
};

/// Throw from plugin code to fail the current hook with an error value.
class Failure : public std::exception {
public:
    explicit Failure(Error e) : error_(std::make_shared<Error>(std::move(e))) {}
    Failure(modrt_error_kind kind, std::string_view message) : Failure(Error(kind, message)) {}
    const char* what() const noexcept override { return "modrt::Failure"; }
    modrt_error* release() const noexcept { return error_->release(); }

private:
    std::shared_ptr<Error> error_;  // exceptions must be copyable
};

}  // namespace modrt

#endif  // MODRT_SDK_ERRORS_HPP

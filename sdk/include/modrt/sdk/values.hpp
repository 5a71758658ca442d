// modrt SDK, Values: borrowed views, scalar reads, owned slots and values.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_VALUES_HPP
#define MODRT_SDK_VALUES_HPP

#include <modrt/sdk/host.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace modrt {

/// A read-only view of a value owned elsewhere.
class ValueView {
public:
    ValueView() = default;
    explicit ValueView(const modrt_value* v) noexcept : v_(v) {}

    const modrt_value* raw() const noexcept { return v_; }
    modrt_value_type type() const noexcept { return host_api().value_type(v_); }
    bool is_nil() const noexcept { return type() == MODRT_NIL; }
    bool is_string() const noexcept { return type() == MODRT_STRING; }
    bool is_array() const noexcept { return type() == MODRT_ARRAY; }
    bool is_map() const noexcept { return type() == MODRT_MAP; }
    bool as_bool() const noexcept { return host_api().value_bool(v_) != 0; }
    int64_t as_int() const noexcept { return host_api().value_int(v_); }
    double as_number() const noexcept { return host_api().value_number(v_); }
    std::string_view as_string() const noexcept { return to_view(host_api().value_string(v_)); }
    size_t size() const noexcept { return host_api().value_len(v_); }
    ValueView operator[](size_t i) const noexcept { return ValueView(host_api().value_at(v_, i)); }
    std::string_view key(size_t i) const noexcept { return to_view(host_api().value_key_at(v_, i)); }
    /// The value under `key`; a nil view when absent.
    ValueView find(std::string_view key) const noexcept { return ValueView(host_api().value_find(v_, to_str(key))); }
    bool has(std::string_view key) const noexcept { return host_api().value_find(v_, to_str(key)) != nullptr; }

private:
    const modrt_value* v_ = nullptr;
};

/// One value's type and, for a scalar, its content, as value_scalars reads an array's item.
inline modrt_scalar read_scalar(const modrt_value* v, const modrt_host_api& h = host_api()) noexcept {
    modrt_scalar s{h.value_type(v), {0}};
    if (s.type == MODRT_INT) s.as.i = h.value_int(v);
    else if (s.type == MODRT_NUMBER) s.as.n = h.value_number(v);
    else if (s.type == MODRT_BOOL) s.as.i = h.value_bool(v);
    return s;
}

/// The first N items of an array (a call's arguments) read with one host call
/// (value_scalars) instead of two per item: for native functions on a hot path.
/// Reads as ValueView does; items past N, strings and containers go through ValueView.
/// How it reads is chosen at compile time from the plugin's target minor (abi.h, rule 4):
/// value_scalars from minor 2 on, item by item for an older target.
template <size_t N, unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
class ScalarArgs {
    static_assert(N > 0, "ScalarArgs reads at least one item");

public:
    /// `h`: the host table to read through (the default; a test passes another).
    explicit ScalarArgs(ValueView array, const modrt_host_api& h = host_api()) noexcept {
        if constexpr (TargetMinor >= 2) {
            size_ = h.value_scalars(array.raw(), items_, N);  // every kernel that accepts this target has it
        } else {
            size_ = h.value_type(array.raw()) == MODRT_ARRAY ? h.value_len(array.raw()) : 0;
            for (size_t i = 0; i < size_ && i < N; ++i) items_[i] = read_scalar(h.value_at(array.raw(), i), h);
        }
    }

    /// The array's length, which may exceed N.
    size_t size() const noexcept { return size_; }
    /// The type of item i; NIL past the end or past N.
    modrt_value_type type(size_t i) const noexcept { return read(i) ? items_[i].type : MODRT_NIL; }
    /// Like ValueView::as_int: a number truncated, 0 for anything else.
    int64_t as_int(size_t i) const noexcept {
        if (!read(i)) return 0;
        const modrt_scalar& s = items_[i];
        return s.type == MODRT_INT ? s.as.i : s.type == MODRT_NUMBER ? static_cast<int64_t>(s.as.n) : 0;
    }
    /// Like ValueView::as_number: an int converted, 0 for anything else.
    double as_number(size_t i) const noexcept {
        if (!read(i)) return 0;
        const modrt_scalar& s = items_[i];
        return s.type == MODRT_NUMBER ? s.as.n : s.type == MODRT_INT ? static_cast<double>(s.as.i) : 0;
    }
    /// Like ValueView::as_bool: true only for a true bool.
    bool as_bool(size_t i) const noexcept { return read(i) && items_[i].type == MODRT_BOOL && items_[i].as.i != 0; }
    /// Item i as read; i must be below both size() and N.
    const modrt_scalar& item(size_t i) const noexcept { return items_[i]; }

private:
    bool read(size_t i) const noexcept { return i < size_ && i < N; }

    modrt_scalar items_[N];
    size_t size_ = 0;
};

/// A writable slot inside a value tree (not owning).
class ValueSlot {
public:
    explicit ValueSlot(modrt_value* v) noexcept : v_(v) {}

    modrt_value* raw() const noexcept { return v_; }
    ValueView view() const noexcept { return ValueView(v_); }
    void set_nil() const noexcept { host_api().value_set_nil(v_); }
    void set_bool(bool b) const noexcept { host_api().value_set_bool(v_, b ? 1 : 0); }
    void set_int(int64_t i) const noexcept { host_api().value_set_int(v_, i); }
    void set_number(double n) const noexcept { host_api().value_set_number(v_, n); }
    void set_string(std::string_view s) const noexcept { host_api().value_set_string(v_, to_str(s)); }
    void set_bytes(std::string_view b) const noexcept { host_api().value_set_bytes(v_, to_str(b)); }
    void set_array(size_t reserve = 0) const noexcept { host_api().value_set_array(v_, reserve); }
    void set_map(size_t reserve = 0) const noexcept { host_api().value_set_map(v_, reserve); }
    /// Become an array of exactly these scalars (NIL, BOOL, INT, NUMBER, as ScalarArgs reads
    /// them) with one host call from minor 9 on (value_set_scalars), item by item for an
    /// older target. False when an item has another type (the slot is then unchanged) or
    /// when out of memory. `h`: the host table to write through (the default; a test passes another).
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    bool set_scalars(const modrt_scalar* items, size_t count, const modrt_host_api& h = host_api()) const noexcept {
        if constexpr (TargetMinor >= 9) {
            return h.value_set_scalars(v_, items, count) != 0;
        } else {
            for (size_t i = 0; i < count; ++i)
                if (items[i].type > MODRT_NUMBER) return false;
            h.value_set_array(v_, count);
            for (size_t i = 0; i < count; ++i) {
                modrt_value* item = h.value_push(v_);
                if (item == nullptr) return false;
                if (items[i].type == MODRT_BOOL) h.value_set_bool(item, items[i].as.i != 0 ? 1 : 0);
                else if (items[i].type == MODRT_INT) h.value_set_int(item, items[i].as.i);
                else if (items[i].type == MODRT_NUMBER) h.value_set_number(item, items[i].as.n);
            }
            return h.value_type(v_) == MODRT_ARRAY;
        }
    }
    /// Append an item; the slot is valid until this value's next push/insert/set.
    ValueSlot push() const noexcept { return ValueSlot(host_api().value_push(v_)); }
    /// Insert or replace `key`; the slot is valid until this value's next push/insert/set.
    ValueSlot insert(std::string_view key) const noexcept {
        return ValueSlot(host_api().value_insert(v_, to_str(key)));
    }
    void copy_from(ValueView src) const noexcept { host_api().value_copy(v_, src.raw()); }

private:
    modrt_value* v_;
};

/// An owned root value (value_new / value_free).
class Value {
public:
    Value() : v_(host_api().value_new()) {}
    explicit Value(ValueView src) : Value() { host_api().value_copy(v_, src.raw()); }
    Value(Value&& o) noexcept : v_(std::exchange(o.v_, nullptr)) {}
    Value& operator=(Value&& o) noexcept {
        std::swap(v_, o.v_);
        return *this;
    }
    Value(const Value&) = delete;
    Value& operator=(const Value&) = delete;
    ~Value() {
        if (v_) host_api().value_free(v_);
    }

    modrt_value* raw() const noexcept { return v_; }
    ValueView view() const noexcept { return ValueView(v_); }
    ValueSlot slot() const noexcept { return ValueSlot(v_); }

private:
    modrt_value* v_;
};

}  // namespace modrt

#endif  // MODRT_SDK_VALUES_HPP

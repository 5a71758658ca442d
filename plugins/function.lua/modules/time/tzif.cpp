// TZif reader (tzif.hpp).
#include "modules/time/tzif.hpp"

#include <cstdint>
#include <utility>

namespace modrt::lua::gotime {
namespace {

// Big-endian reads over the data, failing (not throwing) past its end.
class Reader {
public:
    explicit Reader(std::string_view data) : data_(data) {}
    bool ok() const noexcept { return ok_; }
    std::string_view take(size_t n) noexcept {
        if (!ok_ || n > data_.size()) {
            ok_ = false;
            return {};
        }
        std::string_view out = data_.substr(0, n);
        data_.remove_prefix(n);
        return out;
    }
    uint32_t u32() noexcept { return static_cast<uint32_t>(be(take(4))); }
    int64_t i64() noexcept { return static_cast<int64_t>(be(take(8))); }
    int64_t i32() noexcept { return static_cast<int32_t>(u32()); }
    uint8_t u8() noexcept {
        std::string_view b = take(1);
        return b.empty() ? 0 : static_cast<uint8_t>(b[0]);
    }
    std::string_view rest() const noexcept { return data_; }

private:
    static uint64_t be(std::string_view b) noexcept {
        uint64_t v = 0;
        for (char c : b) v = (v << 8) | static_cast<uint8_t>(c);
        return v;
    }
    std::string_view data_;
    bool ok_ = true;
};

struct Counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

bool read_header(Reader& r, char* version, Counts& c) {
    if (r.take(4) != "TZif") return false;
    std::string_view v = r.take(1);
    r.take(15);
    c = Counts{r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32()};
    if (!r.ok()) return false;
    *version = v[0];
    return true;
}

}  // namespace

std::shared_ptr<const Zone> parse_tzif(std::string name, std::string_view data, std::string* why) {
    auto fail = [why](const char* what) -> std::shared_ptr<const Zone> {
        *why = what;
        return nullptr;
    };
    Reader r(data);
    char version = 0;
    Counts c{};
    if (!read_header(r, &version, c)) return fail("not a TZif file");
    size_t time_size = 4;
    if (version >= '2') {
        // Skip the 32-bit block; the 64-bit one that follows has every transition.
        r.take(size_t{c.time} * 5 + size_t{c.type} * 6 + c.chars + size_t{c.leap} * 8 + c.isstd + c.isut);
        if (!read_header(r, &version, c)) return fail("bad TZif version 2+ header");
        time_size = 8;
    }
    if (c.type == 0 || c.type > 255 || c.time > 1'000'000 || c.chars > 65536) return fail("bad TZif counts");
    auto zone = std::make_shared<Zone>();
    zone->name = std::move(name);
    zone->transitions.resize(c.time);
    for (auto& t : zone->transitions) t.when = time_size == 8 ? r.i64() : r.i32();
    for (auto& t : zone->transitions) t.type = r.u8();
    struct RawType {
        int32_t offset;
        bool dst;
        uint8_t abbrev_at;
    };
    std::vector<RawType> raw(c.type);
    for (auto& t : raw) t = RawType{static_cast<int32_t>(r.u32()), r.u8() != 0, r.u8()};
    std::string_view chars = r.take(c.chars);
    r.take(size_t{c.leap} * (time_size + 4) + c.isstd + c.isut);
    if (!r.ok()) return fail("truncated TZif data");
    for (const auto& t : raw) {
        if (t.abbrev_at >= chars.size() && !chars.empty()) return fail("bad TZif abbreviation index");
        std::string_view abbrev = chars.empty() ? std::string_view{} : chars.substr(t.abbrev_at);
        abbrev = abbrev.substr(0, abbrev.find('\0'));
        zone->types.push_back(ZoneType{std::string(abbrev), t.offset, t.dst});
    }
    for (size_t i = 0; i < zone->transitions.size(); ++i) {
        if (zone->transitions[i].type >= zone->types.size()) return fail("bad TZif transition type");
        if (i > 0 && zone->transitions[i].when <= zone->transitions[i - 1].when)
            return fail("unsorted TZif transitions");
    }
    if (version >= '2') {
        // Footer: "\n<POSIX TZ rule>\n".
        std::string_view footer = r.rest();
        if (footer.size() >= 2 && footer[0] == '\n') {
            size_t end = footer.find('\n', 1);
            if (end != std::string_view::npos) zone->rule = std::string(footer.substr(1, end - 1));
        }
    }
    if (zone->transitions.empty()) zone->transitions.push_back(ZoneTransition{kAlpha, 0});  // one type for all time
    choose_first_type(*zone);
    return zone;
}

}  // namespace modrt::lua::gotime

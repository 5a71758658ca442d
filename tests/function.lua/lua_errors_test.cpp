// function.lua: errors returned, raised and created with the `errors` global.
#include "lua_test_util.hpp"

#include <chrono>

using namespace lua_test;

class LuaErrors : public BasicRegistry {
protected:
    static CallResult fail(std::string_view how) { return call("test.lua:fail", args({str(how)})); }
};

TEST_F(LuaErrors, NilAndStringIsInternalNotRetryable) {
    auto r = fail("nil_string");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_EQ(r.error->message, "plain failure");
    EXPECT_FALSE(r.error->retryable);
    EXPECT_EQ(r.value.type, MODRT_NIL);
}

TEST_F(LuaErrors, StructuredErrorKeepsEverything) {
    auto r = fail("structured");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(r.error->message, "user not found");
    EXPECT_TRUE(r.error->retryable);  // explicit, although NOT_FOUND defaults to false
    ASSERT_NE(r.error->details, nullptr);
    EXPECT_EQ(at(*r.error->details, "user_id"), Value::integer(123));
    const Value& tags = at(*r.error->details, "tags");
    ASSERT_EQ(tags.type, MODRT_ARRAY);
    EXPECT_EQ(tags.items.size(), 2u);
    EXPECT_NE(r.error->stack.find("errors.lua:"), std::string::npos) << r.error->stack;
}

TEST_F(LuaErrors, KindsAcceptBothSpellings) {
    auto r = fail("snake_kind");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_RATE_LIMITED);
    EXPECT_TRUE(r.error->retryable);  // kernel default for RATE_LIMITED (not set by the function)
}

TEST_F(LuaErrors, NewFromStringIsUnknown) {
    auto r = fail("new_string");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNKNOWN);
    EXPECT_EQ(r.error->message, "just a message");
}

TEST_F(LuaErrors, WrapKeepsKindAndRetryable) {
    auto r = fail("wrapped");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_EQ(r.error->message, "loading users: db down");
    EXPECT_TRUE(r.error->retryable);
}

TEST_F(LuaErrors, ReturnedTableIsReadLikeErrorsNew) {
    auto r = fail("table");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CONFLICT);
    EXPECT_EQ(r.error->message, "from a table");
}

TEST_F(LuaErrors, RaisedStringCarriesTraceback) {
    auto r = fail("raise_string");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_FALSE(r.error->retryable);
    EXPECT_NE(r.error->message.find("errors.lua:23: boom"), std::string::npos) << r.error->message;
    EXPECT_NE(r.error->stack.find("stack traceback"), std::string::npos) << r.error->stack;
    EXPECT_NE(r.error->stack.find("errors.lua:23"), std::string::npos) << r.error->stack;
}

TEST_F(LuaErrors, RuntimeErrorCarriesTraceback) {
    auto r = fail("runtime");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_NE(r.error->message.find("errors.lua:28:"), std::string::npos) << r.error->message;
    EXPECT_NE(r.error->stack.find("errors.lua:28"), std::string::npos) << r.error->stack;
}

TEST_F(LuaErrors, RaisedErrorValueKeepsItsKind) {
    auto r = fail("raise_error");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_PERMISSION_DENIED);
    EXPECT_EQ(r.error->message, "denied");
    EXPECT_NE(r.error->stack.find("errors.lua:25"), std::string::npos) << r.error->stack;
}

TEST_F(LuaErrors, ErrorMethodsAndConstants) {
    auto r = fail("methods");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "kind"), str("Invalid"));
    EXPECT_EQ(at(v, "message"), str("m"));
    EXPECT_EQ(at(v, "retryable"), Value::boolean(false));
    EXPECT_EQ(at(v, "details"), str("v"));
    EXPECT_EQ(at(v, "has_stack"), Value::boolean(true));
    EXPECT_EQ(at(v, "str"), str("m"));
    EXPECT_EQ(at(v, "is_invalid"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_invalid_snake"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_not_found"), Value::boolean(false));
    EXPECT_EQ(at(v, "unknown_retryable"), Value::boolean(true));
    EXPECT_EQ(at(v, "unknown_kind"), Value::boolean(true));
    EXPECT_EQ(at(v, "wrap_nil"), Value::boolean(true));
    EXPECT_EQ(at(v, "wrapped_message"), str("m"));  // Wippy's: the context shows where it leaves Lua
    EXPECT_EQ(at(v, "wrapped_kind"), str("Invalid"));
    // `..` takes an error on either side (its message); anything but a string or number
    // on the other side raises as any concatenation does.
    EXPECT_EQ(at(v, "concat_right"), str("failed: m"));
    EXPECT_EQ(at(v, "concat_left"), str("m (2)"));
    EXPECT_NE(at(v, "concat_table").str.find("attempt to concatenate a table value"), std::string::npos)
        << json(at(v, "concat_table"));
    EXPECT_EQ(at(v, "empty_details_nil"), Value::boolean(true));
    const Value& c = at(v, "constants");
    ASSERT_EQ(c.type, MODRT_ARRAY);
    const char* expected[] = {"NotFound", "AlreadyExists", "Invalid", "PermissionDenied", "Unavailable", "Internal",
                              "Canceled", "Conflict",      "Timeout", "RateLimited",      "Unknown"};
    ASSERT_EQ(c.items.size(), std::size(expected));
    for (size_t i = 0; i < c.items.size(); ++i) EXPECT_EQ(c.items[i], str(expected[i]));
}

TEST_F(LuaErrors, UnknownKindInErrorsNewIsRaised) {
    auto r = fail("bad_kind");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error->message.find("unknown error kind 'NoSuchKind'"), std::string::npos) << r.error->message;
}

TEST_F(LuaErrors, TimeoutStopsARunningFunction) {
    modrt::kernel::CallOptions opts;
    opts.timeout = std::chrono::milliseconds(200);
    auto started = std::chrono::steady_clock::now();
    auto r = rt_->call("test.lua:spin", Value::array(), opts);
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_LT(took, std::chrono::seconds(5));
    EXPECT_NE(r.error->stack.find("errors.lua"), std::string::npos) << r.error->stack;
}

TEST_F(LuaErrors, CaughtCancellationStillFailsTheCall) {
    modrt::kernel::CallOptions opts;
    opts.timeout = std::chrono::milliseconds(100);
    auto r = rt_->call("test.lua:spin", args({Value::boolean(true)}), opts);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
}

TEST_F(LuaErrors, StateStaysUsableAfterErrors) {
    for (const char* how : {"raise_string", "runtime", "structured", "bad_kind"}) (void)fail(how);
    auto r = call("test.lua:echo", args({Value::integer(5)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(5));
}

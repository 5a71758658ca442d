return {
  hello = function() return "hello from behind the allow-list" end,
}

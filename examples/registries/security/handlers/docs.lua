local security = require("security")

-- Documents and their owners; a real app would read a store.
local documents = {
  ["doc-1"] = {owner = "user:ada", title = "Ada's notes"},
  ["doc-2"] = {owner = "user:bob", title = "Bob's plans"},
  ["doc-3"] = {owner = "user:bob", title = "Bob's draft", shared_with = {"user:ada"}},
}

-- Who is calling, and the policies in force.
local function whoami()
  local actor = security.actor()
  local policies = {}
  local scope = security.scope()
  if scope then
    for _, policy in ipairs(scope:policies()) do policies[#policies + 1] = policy:id() end
  end
  return {id = actor and actor:id() or nil, role = actor and actor:meta().role or nil, policies = policies}
end

local function read(id)
  local doc = documents[id]
  if not doc then
    return nil, errors.new({kind = errors.NOT_FOUND, message = "no document " .. tostring(id)})
  end
  if not security.can("read", "document:" .. id, {owner = doc.owner, shared_with = doc.shared_with}) then
    return nil, errors.new({kind = errors.PERMISSION_DENIED, message = "not your document: " .. id})
  end
  return doc.title
end

local function purge()
  return "purged"
end

return {whoami = whoami, read = read, purge = purge}

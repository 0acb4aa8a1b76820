-- wrk: POST a check-in through the API, each request on the next key result of
-- KRS (comma-separated ids), with the token in TOKEN.
local krs = {}
for id in string.gmatch(os.getenv("KRS") or "", "[^,]+") do
  krs[#krs + 1] = id
end
local n = 0
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or ""),
  ["Content-Type"] = "application/json",
}

request = function()
  n = n + 1
  local kr = krs[(n % #krs) + 1]
  local body = string.format('{"value": %d, "confidence": 7}', n % 1000)
  return wrk.format("POST", "/api/v1/key-results/" .. kr .. "/check-ins", headers, body)
end

-- wrk script for bench/load.sh: POST /v1/screen, one name per request, drawn from real-looking
-- first and last names of several languages (and now and then a listed party), so that the
-- server screens varied names rather than one cached string.
local first = {
  "James", "Maria", "Mohammed", "Wei", "Olga", "Juan", "Fatima", "Ivan", "Aisha", "Carlos",
  "Elena", "Ahmed", "Sofia", "Dmitri", "Ana", "Hassan", "Yuki", "Pedro", "Leila", "Sergei",
  "Anna", "Omar", "Lucia", "Viktor", "Nadia", "Jorge", "Mei", "Ali", "Irina", "Luis",
  "Sarah", "Kim", "Nicolas", "Tatiana", "Ibrahim", "Rosa", "Andrei", "Zainab", "Miguel", "Hana",
  "John", "Grace", "Yusuf", "Camila", "Alexei", "Priya", "Diego", "Amina", "Pavel", "Laura",
}
local last = {
  "Smith", "Garcia", "Al-Rashid", "Chen", "Ivanova", "Martinez", "Khan", "Petrov", "Hussein", "Rodriguez",
  "Popescu", "Nguyen", "Rossi", "Sokolov", "Fernandez", "Haddad", "Tanaka", "Silva", "Karimi", "Volkov",
  "Muller", "Abdullah", "Lopez", "Kuznetsov", "Haddad", "Gonzalez", "Wang", "Rahman", "Morozova", "Torres",
  "Johnson", "Park", "Moreno", "Novak", "Saleh", "Herrera", "Kovalenko", "Bakr", "Ramirez", "Yilmaz",
  "Brown", "Okafor", "Mendoza", "Lebedev", "Aziz", "Castro", "Pavlov", "Mansour", "Diaz", "Schneider",
}
local listed = {
  "Nicolas Maduro", "Usama bin Laden", "Ayman al-Zawahiri", "Joaquin Guzman Loera",
  "Banco Nacional de Cuba", "Hezbollah", "Vladimir Putin", "Kim Jong Un",
}
math.randomseed(42)
local headers = { ["Content-Type"] = "application/json" }
local token = os.getenv("INTERDICT_TOKEN")
if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end

request = function()
  local name
  if math.random(50) == 1 then
    name = listed[math.random(#listed)]
  else
    name = first[math.random(#first)] .. " " .. last[math.random(#last)]
  end
  return wrk.format("POST", "/v1/screen", headers, '{"name":"' .. name .. '"}')
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d in %.1f s\n", summary.requests, summary.duration / 1e6))
  io.write(string.format("throughput: %.0f requests/s\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms, p90: %.2f ms, p99: %.2f ms, max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  local e = summary.errors
  io.write(string.format("errors: non-200 %d (status), connect %d, read %d, write %d, timeout %d\n",
    summary.errors.status, e.connect, e.read, e.write, e.timeout))
end

-- wrk script: POST /v1/check with a typical accepted submission (a shared fixture case).
wrk.method = "POST"
wrk.path = "/v1/check"
wrk.headers["Content-Type"] = "application/json"
if os.getenv("DG_KEY") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("DG_KEY") end
wrk.body = [[{"id":"pub-happy-candidate-primary-card","recipient":{"type":"candidate","election":"primary"},"donor":{"first_name":"Margaret","last_name":"Okafor","email":"margaret.okafor@example.org","address":{"line1":"418 Linden Avenue","city":"Springfield","country":"US","state":"IL","postal_code":"62704"},"citizenship":"us_citizen","employer":"Sangamon Valley Hospital","occupation":"Registered nurse"},"contribution":{"amount":"25.00","currency":"USD","method":"card","card":{"country":"US"}},"attestations":{"affirmed":["us_citizen_or_lpr","own_funds","personal_card","not_federal_contractor","age_18_or_older"],"version":"sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6"}}]]

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

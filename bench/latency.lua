-- Report the median and 95th percentile of the latency (wrk's --latency prints 50, 75, 90 and 99 only).
function done(summary, latency, requests)
    io.write(string.format("latency_us p50=%d p95=%d\n", latency:percentile(50), latency:percentile(95)))
end

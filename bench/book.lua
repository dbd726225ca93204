-- POST a booking at each request, each time as another citizen: one line per booking, "path<TAB>session key".
-- Arguments: the file of lines (written by appointments.py), the number of wrk threads, the CSRF secret and token.
local thread_count = 0

function setup(thread)
    thread:set("id", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    local threads, n = tonumber(args[2]), 0
    lines = {}
    for line in io.lines(args[1]) do
        if n % threads == id then  -- each thread takes its own share of the citizens
            lines[#lines + 1] = line
        end
        n = n + 1
    end
    next_line = 1
    secret, body = args[3], "csrfmiddlewaretoken=" .. args[4]
end

function request()
    local path, session = lines[next_line]:match("([^\t]+)\t(.+)")
    next_line = next_line % #lines + 1
    local headers = {
        ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. secret,
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }
    return wrk.format("POST", path, headers, body)
end

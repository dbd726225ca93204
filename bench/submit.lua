-- POST the review page of a different draft at each request, so that each request submits one draft.
-- Arguments: the file of paths (one per line, written by run.py), the number of wrk threads, the CSRF token.
local thread_count = 0

function setup(thread)
    thread:set("id", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    local all, threads = {}, tonumber(args[2])
    for line in io.lines(args[1]) do
        all[#all + 1] = line
    end
    paths = {}
    for i = id + 1, #all, threads do  -- each thread takes its own share of the drafts
        paths[#paths + 1] = all[i]
    end
    next_path = 1
    wrk.method = "POST"
    wrk.body = "csrfmiddlewaretoken=" .. args[3]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
    local path = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format(nil, path)
end

-- wrk script of bench/bff.sh: GET /products/all, counting in every 200 page its products and the ones whose
-- inventory is null (the lab writes "inventory":null, aiohttp "inventory": null). Prints one line at the end:
--   BFF-PAGES pages=N products=N nulls=N
-- The counters live in each wrk thread's own Lua state; done() adds them up.
pages, products, nulls = 0, 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status == 200 then
    pages = pages + 1
    local _, p = body:gsub('"product_id"', '')
    local _, n = body:gsub('"inventory":%s*null', '')
    products = products + p
    nulls = nulls + n
  end
end

function done(summary, latency, requests)
  local total_pages, total_products, total_nulls = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_pages = total_pages + thread:get("pages")
    total_products = total_products + thread:get("products")
    total_nulls = total_nulls + thread:get("nulls")
  end
  io.write(string.format("BFF-PAGES pages=%d products=%d nulls=%d\n", total_pages, total_products, total_nulls))
end

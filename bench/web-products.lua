-- wrk script: GET /products/{id} with a random id of the book's 1,000 products (seeded per thread).
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/products/" .. math.random(1, 1000))
end

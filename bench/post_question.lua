-- wrk script for bench/run: POST /api/events/{id}/questions as one joined
-- visitor (cookie and CSRF token from the environment). bench/run raises the
-- per-visitor rate limit (PALABRE_QUESTIONS_PER_WINDOW) so that every request
-- does the whole work: session lookup, ban and rate checks, the question's
-- hash and sorted sets in Redis, the staff stream entry.
wrk.method = "POST"
wrk.body = '{"text":"Quand les travaux de la place du marché commenceront-ils ?","lang":"fr"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")


-- wrk script: POST one JSON record to the chain's invoke route (no LLM configured on the host).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"input": {"tenure": 3, "contract": "Month-to-month", "monthly_charges": 80, "internet_service": "Fiber optic"}}'

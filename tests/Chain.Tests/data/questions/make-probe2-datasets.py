"""Writes the second probe's datasets, the probe2-* question sets were written for, into <folder>/probe2/: four small
synthetic tables in shapes the chain had not met: an insurance-cost regression (plain lower-case names, yes/no and
region values), a hotel-booking cancellation table (long snake_case names, month names, 0/1 flags, codes such as BB),
a used-car price table (makes and models, a unit in a name, True/False) and a student-grade regression (PascalCase
names, a bracketed unit, one-letter values).
Usage: python3 make-probe2-datasets.py "$CHAIN_QUESTION_DATASETS" (needs numpy and pandas)."""
import os
import sys

import numpy as np
import pandas as pd

out = os.path.join(sys.argv[1], "probe2")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)
n = 500

age, bmi, children = rng.integers(18, 65, n), rng.normal(30, 6, n).clip(16, 53).round(2), rng.integers(0, 6, n)
smoker, sex = rng.choice(["yes", "no"], n, p=[.2, .8]), rng.choice(["female", "male"], n)
region = rng.choice(["northeast", "northwest", "southeast", "southwest"], n)
charges = (age * 260 + (bmi - 25) * 340 + children * 480 + (smoker == "yes") * 23000 + rng.normal(3000, 4000, n)).clip(1100).round(2)
pd.DataFrame({"age": age, "sex": sex, "bmi": bmi, "children": children, "smoker": smoker, "region": region,
              "charges": charges}).to_csv(f"{out}/insurance.csv", index=False)

months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
lead, weekend, week = rng.integers(0, 400, n), rng.integers(0, 5, n), rng.integers(0, 11, n)
deposit = rng.choice(["No Deposit", "Non Refund", "Refundable"], n, p=[.8, .15, .05])
repeated, previous, requests = rng.choice([0, 1], n, p=[.9, .1]), rng.choice([0, 1, 2, 3], n, p=[.85, .1, .03, .02]), rng.integers(0, 6, n)
canceled = (lead / 400 + (deposit == "Non Refund") * .8 + previous * .3 - requests * .1 + rng.normal(0, .3, n)) > .6
pd.DataFrame({"hotel": rng.choice(["Resort Hotel", "City Hotel"], n), "lead_time": lead,
              "arrival_date_month": rng.choice(months, n), "stays_in_weekend_nights": weekend,
              "stays_in_week_nights": week, "adults": rng.integers(1, 5, n), "children": rng.choice([0, 1, 2, 3], n, p=[.7, .15, .1, .05]),
              "meal": rng.choice(["BB", "HB", "FB", "SC"], n), "market_segment": rng.choice(["Online TA", "Offline TA/TO", "Direct", "Corporate", "Groups"], n),
              "is_repeated_guest": repeated, "previous_cancellations": previous, "deposit_type": deposit,
              "adr": rng.uniform(40, 300, n).round(2), "required_car_parking_spaces": rng.choice([0, 1, 2], n, p=[.85, .13, .02]),
              "total_of_special_requests": requests, "is_canceled": np.where(canceled, 1, 0)}).to_csv(f"{out}/hotel.csv", index=False)

models = {"Toyota": ["Corolla", "Camry", "RAV4"], "Honda": ["Civic", "Accord", "CR-V"], "Ford": ["Focus", "F-150", "Escape"],
          "BMW": ["3 Series", "X5"], "Volkswagen": ["Golf", "Passat"]}
make = rng.choice(list(models), n)
model = [rng.choice(models[m]) for m in make]
year, km = rng.integers(2005, 2024, n), rng.integers(1000, 250000, n)
fuel, gearbox = rng.choice(["Petrol", "Diesel", "Hybrid", "Electric"], n, p=[.5, .25, .15, .1]), rng.choice(["Manual", "Automatic"], n)
engine, owners, clean = rng.choice([1.0, 1.4, 1.6, 2.0, 2.5, 3.0, 3.5, 5.0], n), rng.integers(1, 6, n), rng.choice([True, False], n, p=[.7, .3])
price = (30000 - (2024 - year) * 1200 - km * .04 + engine * 2000 + clean * 2500 - owners * 600 + rng.normal(0, 2000, n)).clip(800).round(0)
pd.DataFrame({"make": make, "model": model, "year": year, "odometer_km": km, "fuel_type": fuel, "transmission": gearbox,
              "engine_l": engine, "num_owners": owners, "accident_free": clean,
              "body": rng.choice(["Sedan", "SUV", "Hatchback", "Pickup"], n), "price": price}).to_csv(f"{out}/used-cars.csv", index=False)

hours, absences, gpa = rng.integers(0, 41, n), rng.integers(0, 31, n), rng.uniform(1, 4, n).round(2)
parents = rng.choice(["None", "High School", "Some College", "Bachelor's", "Master's"], n)
internet, clubs, tutoring = rng.choice(["Yes", "No"], n, p=[.8, .2]), rng.choice([0, 1], n), rng.choice([True, False], n, p=[.3, .7])
grade = (40 + hours * .8 - absences * .7 + gpa * 8 + tutoring * 4 + rng.normal(0, 6, n)).clip(0, 100).round(1)
pd.DataFrame({"StudyHoursPerWeek": hours, "Absences": absences, "ParentalEducation": parents, "InternetAccess": internet,
              "Extracurricular": clubs, "Age": rng.integers(15, 23, n), "Gender": rng.choice(["F", "M"], n), "PreviousGPA": gpa,
              "Travel Time (min)": rng.integers(5, 91, n), "Tutoring": tutoring, "FinalGrade": grade}).to_csv(f"{out}/students.csv", index=False)

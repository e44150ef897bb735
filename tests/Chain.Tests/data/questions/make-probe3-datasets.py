"""Writes the third probe's datasets, the probe3-* question sets were written for, into <folder>/probe3/: five small
synthetic tables in shapes the chain had not met: a clinical lab table (snake_case names carrying units such as
serum_creatinine_mg_dl, bracketed units with spaces such as "Resting BP (mm Hg)", Y/N flags), a telecom churn table
(ALL_CAPS abbreviated names, contract and payment values, yes/no plans), an e-commerce return table (spaced names
with symbols such as "Unit Price ($)" and "Discount %", an order date, weekdays, product categories with "&"), an HR
table (PascalCase names, ordinal levels, departments with initialisms, a salary in dollars) and a home-energy
regression (abbreviated lower-case names: sqft, yr_built, solar_kw, annual_kwh).
Usage: python3 make-probe3-datasets.py "$CHAIN_QUESTION_DATASETS" (standard library only; seeded, so the files are
the same on every run)."""
import csv
import datetime
import os
import random
import sys

out = os.path.join(sys.argv[1], "probe3")
os.makedirs(out, exist_ok=True)
rng = random.Random(2026)
n = 500


def write(name, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def pick(values, weights=None):
    return rng.choices(values, weights)[0]


def clinic_row():
    age, creatinine = rng.randint(25, 90), round(rng.uniform(0.5, 4.5), 2)
    bp, glucose, hba1c = rng.randint(95, 200), rng.randint(65, 320), round(rng.uniform(4.5, 12.5), 1)
    smoking, statin = pick(["Never", "Former", "Current"], [5, 3, 2]), pick(["Y", "N"])
    risk = age / 90 + creatinine / 4.5 + bp / 200 + (smoking == "Current") * .3 + rng.gauss(0, .3)
    return {"patient_age": age, "Sex": pick(["Male", "Female"]), "serum_creatinine_mg_dl": creatinine,
            "Resting BP (mm Hg)": bp, "fasting_glucose_mgdl": glucose, "HbA1c_pct": hba1c,
            "BMI": round(rng.uniform(17, 45), 1), "Smoking Status": smoking, "on_statin": statin,
            "prior_admissions": pick([0, 1, 2, 3, 4, 5], [6, 4, 3, 2, 1, 1]), "LengthOfStayDays": rng.randint(1, 30),
            "discharge_to": pick(["Home", "Home Health", "Skilled Nursing Facility", "Rehab"], [6, 2, 1, 1]),
            "readmitted_30d": "Yes" if risk > 2.3 else "No"}


def telecom_row():
    tenure, monthly = rng.randint(1, 72), round(rng.uniform(18.25, 118.75), 2)
    contract = pick(["Month-to-Month", "One Year", "Two Year"], [5, 3, 2])
    calls = pick(range(10), [3, 4, 3, 2, 2, 1, 1, 1, 1, 1])
    risk = (contract == "Month-to-Month") * .6 + monthly / 120 - tenure / 72 + calls * .1 + rng.gauss(0, .3)
    return {"TENURE_MO": tenure, "CONTRACT": contract,
            "PAY_METHOD": pick(["Electronic Check", "Mailed Check", "Bank Transfer (automatic)", "Credit Card (automatic)"]),
            "PAPERLESS": pick(["Yes", "No"]), "INTL_PLAN": pick(["yes", "no"], [1, 9]), "VMAIL_PLAN": pick(["yes", "no"], [3, 7]),
            "INTERNET_SVC": pick(["DSL", "Fiber Optic", "None"], [4, 4, 2]), "STREAMING": pick(["Yes", "No"]),
            "MONTHLY_CHG": monthly, "DATA_GB": round(rng.uniform(0, 80), 1), "CS_CALLS": calls,
            "DEVICE_PROTECTION": pick([0, 1]), "CHURN": "True" if risk > .7 else "False"}


def order_row():
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 540))
    category = pick(["Electronics", "Home & Kitchen", "Clothing", "Toys & Games", "Beauty", "Sports & Outdoors"])
    price, discount = round(rng.uniform(4.99, 899.99), 2), pick([0, 5, 10, 15, 20, 25, 30, 40, 50, 60])
    risk = (category == "Clothing") * .5 + discount / 100 + rng.gauss(0, .3)
    return {"Order Date": day.isoformat(), "Weekday": day.strftime("%A"), "Category": category, "Unit Price ($)": price,
            "Discount %": discount, "Qty": pick([1, 2, 3, 4, 5, 6], [8, 4, 2, 1, 1, 1]), "Ship Days": rng.randint(1, 14),
            "Customer Age": rng.randint(18, 80), "First Order": pick(["Yes", "No"], [1, 3]),
            "Payment Method": pick(["Credit Card", "PayPal", "Gift Card", "Cash on Delivery"]),
            "Product Rating": pick([1, 2, 3, 4, 5], [1, 1, 2, 3, 4]), "Returned": 1 if risk > .6 else 0}


def hr_row():
    level = pick(["Junior", "Mid", "Senior", "Lead"], [4, 4, 3, 1])
    salary = {"Junior": 45000, "Mid": 70000, "Senior": 100000, "Lead": 130000}[level] + rng.randint(-10, 25) * 1000
    satisfaction, overtime = rng.randint(1, 5), pick(["Yes", "No"], [3, 7])
    risk = (5 - satisfaction) * .2 + (overtime == "Yes") * .4 - salary / 200000 + rng.gauss(0, .3)
    return {"Age": rng.randint(21, 64), "Department": pick(["Engineering", "Sales", "Marketing", "HR", "Finance", "IT Support"]),
            "JobLevel": level, "YearsAtCompany": rng.randint(0, 30), "AnnualSalary": salary,
            "SatisfactionScore": satisfaction, "OverTime": overtime, "RemoteDaysPerWeek": rng.randint(0, 5),
            "TrainingHoursLastYear": rng.randint(0, 120), "PerformanceRating": pick(["Below Expectations", "Meets Expectations", "Exceeds Expectations"], [1, 6, 3]),
            "EducationField": pick(["Computer Science", "Business", "Engineering", "Arts", "Other"]),
            "CommuteDistanceKm": round(rng.uniform(0.5, 60), 1), "PromotedLast2Yrs": pick([0, 1], [3, 1]),
            "LeftCompany": "Yes" if risk > .5 else "No"}


def energy_row():
    sqft, built, occupants = rng.randint(600, 4800), rng.randint(1920, 2023), rng.randint(1, 7)
    hvac, insulation = pick(["Heat Pump", "Gas Furnace", "Electric Baseboard", "Oil Boiler"]), pick(["Poor", "Average", "Good", "Excellent"])
    solar, pool, ev = pick([0, 0, 0, 3.5, 5, 7.2, 10]), pick(["True", "False"], [1, 4]), pick([0, 1], [3, 1])
    kwh = (sqft * 3.2 + occupants * 900 - solar * 1100 + (pool == "True") * 2500 + ev * 2800 + (2023 - built) * 25
           + {"Poor": 2000, "Average": 800, "Good": 0, "Excellent": -600}[insulation] + rng.gauss(0, 900))
    return {"sqft": sqft, "yr_built": built, "n_occupants": occupants, "hvac_type": hvac, "insulation": insulation,
            "solar_kw": solar, "avg_temp_f": round(rng.uniform(38, 82), 1), "has_pool": pool, "ev_charger": ev,
            "stories": pick([1, 2, 3], [5, 4, 1]), "thermostat_setpoint_f": rng.randint(62, 76),
            "annual_kwh": round(max(kwh, 1500))}


for file, row in [("clinic.csv", clinic_row), ("telecom.csv", telecom_row), ("orders.csv", order_row), ("hr.csv", hr_row),
                  ("energy.csv", energy_row)]:
    write(file, [row() for _ in range(n)])

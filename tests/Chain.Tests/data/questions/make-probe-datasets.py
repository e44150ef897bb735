"""Writes the probe datasets the probe-* question sets were written for into <folder>/probe/: sklearn's bundled wine,
diabetes (raw units), breast cancer and iris, and three small synthetic tables with names in the shapes questions meet
(snake_case, camelCase, spaces, units in brackets, abbreviations, yes/no and categorical values).
Usage: python3 make-probe-datasets.py "$CHAIN_QUESTION_DATASETS" (needs numpy, pandas, scikit-learn)."""
import os
import sys

import numpy as np
import pandas as pd
from sklearn import datasets

out = os.path.join(sys.argv[1], "probe")
os.makedirs(out, exist_ok=True)

wine = datasets.load_wine(as_frame=True).frame
wine["cultivar"] = ["cultivar_" + "abc"[t] for t in wine.pop("target")]
wine.to_csv(f"{out}/wine.csv", index=False)

diabetes = datasets.load_diabetes(as_frame=True, scaled=False).frame.rename(columns={"target": "progression"})
diabetes.to_csv(f"{out}/diabetes.csv", index=False)

cancer = datasets.load_breast_cancer(as_frame=True).frame
cancer["diagnosis"] = ["malignant" if t == 0 else "benign" for t in cancer.pop("target")]
cancer.to_csv(f"{out}/cancer.csv", index=False)

iris = datasets.load_iris(as_frame=True).frame
iris["species"] = [datasets.load_iris().target_names[t] for t in iris.pop("target")]
iris.to_csv(f"{out}/iris.csv", index=False)

rng = np.random.default_rng(7)
n = 400
age, weight, height = rng.integers(25, 80, n), rng.normal(80, 15, n).round(1), rng.normal(172, 9, n).round(0)
hr, sbp, chol = rng.integers(50, 100, n), rng.integers(100, 180, n), rng.integers(150, 300, n)
smoker, exercise = rng.choice(["yes", "no"], n, p=[.3, .7]), rng.choice(["low", "moderate", "high"], n)
family, sex = rng.choice([0, 1], n, p=[.6, .4]), rng.choice(["Male", "Female"], n)
chest = rng.choice(["typical angina", "atypical angina", "non-anginal pain", "asymptomatic"], n)
risk = (age / 80 + sbp / 180 + (smoker == "yes") * .5 + family * .3 + rng.normal(0, .3, n)) > 1.9
pd.DataFrame({"Age (years)": age, "Weight (kg)": weight, "Height (cm)": height, "resting_hr": hr, "systolicBP": sbp,
              "cholesterolMgDl": chol, "Smoker": smoker, "exercise_level": exercise, "family_history": family, "Sex": sex,
              "chest pain type": chest, "heart_disease": np.where(risk, "yes", "no")}).to_csv(f"{out}/heart.csv", index=False)

sqft, beds, built = rng.integers(600, 4000, n), rng.integers(1, 6, n), rng.integers(1950, 2022, n)
lot, garage = rng.uniform(.05, 2, n).round(2), rng.choice(["Y", "N"], n)
hood, dist = rng.choice(["Downtown", "Suburbs", "Rural", "Lakeside"], n), rng.uniform(0.5, 40, n).round(1)
condition, pool = rng.choice(["poor", "fair", "good", "excellent"], n), rng.choice([True, False], n)
price = (sqft * 150 + beds * 5000 + (built - 1950) * 800 - dist * 1000 + rng.normal(0, 20000, n)).round(0)
pd.DataFrame({"SqFt": sqft, "NumBedrooms": beds, "YearBuilt": built, "Lot Size (acres)": lot, "HasGarage": garage,
              "Neighborhood": hood, "dist_to_city_center_km": dist, "condition": condition, "pool": pool,
              "SalePrice": price}).to_csv(f"{out}/homes.csv", index=False)

dept, years, salary = rng.choice(["Sales", "Engineering", "HR", "Finance"], n), rng.integers(0, 30, n), rng.integers(30000, 150000, n)
overtime, remote, rating = rng.choice(["Yes", "No"], n), rng.choice([0, 1], n), rng.integers(1, 6, n)
commute, education = rng.integers(0, 90, n), rng.choice(["High School", "Bachelor", "Master", "PhD"], n)
left = (rating < 3) & (overtime == "Yes") | (rng.random(n) < .1)
pd.DataFrame({"dept": dept, "yrs_at_company": years, "annual_salary_usd": salary, "overtime": overtime,
              "works_remotely": remote, "perf_rating": rating, "commute_mins": commute, "education": education,
              "num_projects": rng.integers(1, 8, n), "left_company": np.where(left, "Yes", "No")}).to_csv(f"{out}/staff.csv", index=False)

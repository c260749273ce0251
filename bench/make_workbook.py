"""The 100,000-row workbook of the loader benchmark, and pandas' read_excel time on it.
    campaign-lens sample --rows 100000 --seed 42 --out /tmp/cust100k.csv
    python bench/make_workbook.py /tmp/cust100k.csv /tmp/cust100k.xlsx
    python bench/make_workbook.py --time /tmp/cust100k.xlsx
"""
import sys, time
import pandas as pd

if sys.argv[1] == "--time":
    t = time.perf_counter()
    df = pd.read_excel(sys.argv[2])
    print(f"pandas read_excel: {time.perf_counter() - t:.2f} s for {df.shape[0]} rows x {df.shape[1]} columns")
else:
    df = pd.read_csv(sys.argv[1])
    df["Dt_Customer"] = pd.to_datetime(df["Dt_Customer"], format="%d-%m-%Y")  # real Excel dates
    df.to_excel(sys.argv[2], index=False, sheet_name="Customers")

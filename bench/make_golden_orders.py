"""Writes tests/golden/orders.csv: a deterministic order log (Online Retail II's columns) for the golden
comparison of `customers` and `recommend` (tests/golden.rs). Run once; the file is committed."""
import random

rng = random.Random(20261204)
products = [(f"P{i:03d}", f"Product {i}", round(rng.uniform(0.5, 25.0), 2)) for i in range(40)]
lines = ["Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"]
inv = 500000
for cust in range(12000, 12240):
    taste = rng.sample(products, 8)
    orders = 1 + int(rng.expovariate(1 / 3.0))
    day = rng.randint(0, 300)
    for _ in range(orders):
        if day > 372:
            break
        inv += 1
        for p in rng.sample(taste, rng.randint(1, 4)):
            q = rng.randint(1, 12)
            m, d = divmod(day, 31)
            date = f"{2010 + (m // 12)}-{m % 12 + 1:02d}-{d + 1:02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:00"
            if d + 1 > 28:
                date = date[:8] + "28" + date[10:]
            lines.append(f"{inv},{p[0]},{p[1]},{q},{date},{p[2]:.2f},{cust},United Kingdom")
        if rng.random() < 0.05:
            lines.append(f"C{inv},{p[0]},{p[1]},-1,{date},{p[2]:.2f},{cust},United Kingdom")
        day += 1 + int(rng.expovariate(1 / 40.0))
open("tests/golden/orders.csv", "w").write("\n".join(lines) + "\n")
print(len(lines) - 1, "lines")

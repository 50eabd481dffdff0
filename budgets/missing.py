"""How the CSV and JSON exports write a figure that is not a number, one way per reason, so
that a spreadsheet never reads "not printed", "not applicable" and zero alike:

- not printed (the disclosure does not print the figure, or a figure it is computed from):
  an empty cell in the CSV, null in the JSON;
- not applicable (no earlier year to compare with, a share or rate of a zero or of nothing,
  a percentage change of a row that is itself a change, a share of a count): `n/a`;
- unclear (printed in a column that cannot be told for sure, budgets.models.LineItem.uncertain):
  `unclear` where the export has no column of its own naming such figures;
- zero: `0.00`, as printed.

The pages say the same in words (budgets.compare's notes; "—" for not printed).
"""

NOT_APPLICABLE = "n/a"
UNCLEAR = "unclear"

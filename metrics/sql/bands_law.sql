-- The law(s) the classifications of a period were made under: the legal_basis of every set of
-- classification_bands in force on some day of [date_from, date_to] (docs/data-contract.md), oldest
-- first. A period across 01/01/2026 gives ND 90/2020 (amended by ND 48/2023) and ND 335/2025.
SELECT legal_basis
FROM classification_bands
WHERE legal_basis IS NOT NULL
  AND valid_from <= $date_to AND coalesce(valid_to, DATE '9999-12-31') >= $date_from
GROUP BY legal_basis
ORDER BY min(valid_from), legal_basis

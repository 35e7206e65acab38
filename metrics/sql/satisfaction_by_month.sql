-- Survey answers per month of the period (months with answers), all selected units together.
WITH scoped_units AS ({{scoped_units}}),
{{period_surveys}}
SELECT
    strftime(v.month, '%m/%Y') AS month_label,
{{satisfaction_columns}}
FROM period_surveys v
GROUP BY v.month
ORDER BY v.month

-- Notes kept as data on units (data/reference/unit_notes.csv, etl/registry.py): a successor
-- formed partly from units outside this warehouse says so wherever it is shown.
SELECT n.unit_id, u.name, n.partial_note
FROM unit_notes n
JOIN units u USING (unit_id)
WHERE coalesce(n.partial_note, '') <> ''
ORDER BY u.name COLLATE vi

CASE {{unit_level}} WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END

coalesce(lv.level, CASE WHEN lv.kind = 'commune' THEN 'commune' ELSE 'district' END)

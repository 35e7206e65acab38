"""Vietnamese words for the codes stored in the warehouse."""
from __future__ import annotations

KIND_LABELS = {
    "commune": "Xã, thị trấn",
    "department": "Phòng ban chuyên môn",
    "service_unit": "Đơn vị sự nghiệp",
    "association": "Hội, đoàn thể",
}

# Biểu 06 levels (units.level): the province's bodies (Sở, ban, ngành), the district's, communes.
LEVEL_PROVINCE = "Cấp tỉnh"
LEVEL_DISTRICT = "Cấp huyện"
LEVEL_COMMUNE = "Cấp xã"
LEVEL_LABELS = {"province": LEVEL_PROVINCE, "district": LEVEL_DISTRICT, "commune": LEVEL_COMMUNE}

CLASSIFICATION_LABELS = {
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ",
    "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

COMMITMENT_LABELS = {
    "office_culture": "Văn hóa công sở",
    "smoke_free": "Cơ quan không khói thuốc lá",
    "hcm_study": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
}
COMMITMENT_ORDER = list(COMMITMENT_LABELS)

# Kinds of violation found by a surprise inspection (inspections columns), in the order shown.
INSPECTION_KIND_LABELS = {
    "late_or_absent": "Đi muộn, về sớm, vắng mặt",
    "dress": "Trang phục, thẻ công chức",
    "conduct": "Giao tiếp, ứng xử",
    "workplace": "Bố trí, vệ sinh công sở",
}

RECIPIENT_KIND_LABELS = {"collective": "Tập thể", "individual": "Cá nhân"}

"""Stand-in for edx-enterprise: installed unless LMS_STUB_ENTERPRISE is false, as in LMSs without it."""

"""
edx-enterprise tables in Panorama's extract set. They exist only where edx-enterprise is installed,
which is why the stand-in can leave them out (LMS_STUB_ENTERPRISE=false).
"""
from django.conf import settings
from django.db import models

from lms_stub.core.fields import UUIDCharField


class EnterpriseCustomerType(models.Model):
    name = models.CharField(max_length=25, unique=True)

    class Meta:
        db_table = "enterprise_enterprisecustomertype"


class EnterpriseCustomer(models.Model):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    uuid = UUIDCharField(primary_key=True)
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=30, unique=True)
    active = models.BooleanField(default=True)
    country = models.CharField(max_length=2, null=True)
    hide_course_original_price = models.BooleanField(default=False)
    site = models.ForeignKey("sites.Site", related_name="enterprise_customers", on_delete=models.CASCADE)
    enable_data_sharing_consent = models.BooleanField(default=False)
    enforce_data_sharing_consent = models.CharField(max_length=25, blank=True, default="at_enrollment")
    enable_audit_enrollment = models.BooleanField(default=False)
    enable_audit_data_reporting = models.BooleanField(default=False)
    replace_sensitive_sso_username = models.BooleanField(default=False)
    customer_type = models.ForeignKey(EnterpriseCustomerType, on_delete=models.CASCADE)
    enable_portal_code_management_screen = models.BooleanField(default=False)
    enable_portal_reporting_config_screen = models.BooleanField(default=False)
    enable_portal_saml_configuration_screen = models.BooleanField(default=False)
    enable_portal_subscription_management_screen = models.BooleanField(default=False)
    enable_portal_lms_configurations_screen = models.BooleanField(default=False)
    enable_learner_portal = models.BooleanField(default=True)
    enable_integrated_customer_learner_portal_search = models.BooleanField(default=True)
    enable_analytics_screen = models.BooleanField(default=True)
    enable_slug_login = models.BooleanField(default=False)
    enable_autocohorting = models.BooleanField(default=False)
    contact_email = models.EmailField(null=True, blank=True)
    default_contract_discount = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    default_language = models.CharField(max_length=25, null=True, blank=True)
    sender_alias = models.CharField(max_length=255, null=True, blank=True)
    reply_to = models.EmailField(null=True, blank=True)
    hide_labor_market_data = models.BooleanField(default=False)
    enable_universal_link = models.BooleanField(default=False)
    enable_browse_and_request = models.BooleanField(default=False)

    class Meta:
        db_table = "enterprise_enterprisecustomer"


class EnterpriseCustomerUser(models.Model):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    enterprise_customer = models.ForeignKey(EnterpriseCustomer, related_name="enterprise_customer_users",
                                            on_delete=models.CASCADE)
    user_id = models.PositiveIntegerField(null=False, blank=False, db_index=True)
    active = models.BooleanField(default=True)
    linked = models.BooleanField(default=True)
    invite_key_id = UUIDCharField(null=True, blank=True)  # FK to an invite-key table not exported
    should_inactivate_other_customers = models.BooleanField(default=True)

    class Meta:
        db_table = "enterprise_enterprisecustomeruser"
        unique_together = (("enterprise_customer", "user_id"),)


class PendingEnterpriseCustomerUser(models.Model):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    enterprise_customer = models.ForeignKey(EnterpriseCustomer, on_delete=models.CASCADE)
    user_email = models.EmailField(null=False, blank=False, unique=True)

    class Meta:
        db_table = "enterprise_pendingenterprisecustomeruser"

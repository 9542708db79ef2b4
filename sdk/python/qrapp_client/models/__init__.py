"""Contains all the data models used in inputs/outputs"""

from .analytics import Analytics
from .analytics_breakdowns import AnalyticsBreakdowns
from .body_start_bulk_job import BodyStartBulkJob
from .breakdown_row import BreakdownRow
from .bulk_job import BulkJob
from .code import Code
from .code_batch import CodeBatch
from .code_batch_result import CodeBatchResult
from .code_changes import CodeChanges
from .code_changes_design_type_0 import CodeChangesDesignType0
from .code_changes_payload_type_0 import CodeChangesPayloadType0
from .code_changes_utm_type_0 import CodeChangesUtmType0
from .code_design import CodeDesign
from .code_page import CodePage
from .code_payload import CodePayload
from .code_utm import CodeUtm
from .delivery import Delivery
from .delivery_list import DeliveryList
from .endpoint import Endpoint
from .endpoint_create import EndpointCreate
from .endpoint_list import EndpointList
from .endpoint_update import EndpointUpdate
from .folder import Folder
from .folder_list import FolderList
from .get_analytics_range import GetAnalyticsRange
from .get_bulk_job_result_kind import GetBulkJobResultKind
from .get_code_analytics_range import GetCodeAnalyticsRange
from .get_code_image_format import GetCodeImageFormat
from .http_validation_error import HTTPValidationError
from .list_codes_status_type_0 import ListCodesStatusType0
from .list_scans_range import ListScansRange
from .meter import Meter
from .new_code import NewCode
from .new_code_design_type_0 import NewCodeDesignType0
from .new_code_payload_type_0 import NewCodePayloadType0
from .new_folder import NewFolder
from .new_rule import NewRule
from .page import Page
from .page_detail import PageDetail
from .page_detail_draft import PageDetailDraft
from .page_list import PageList
from .page_version import PageVersion
from .plan_info import PlanInfo
from .point import Point
from .problem import Problem
from .problem_errors_item import ProblemErrorsItem
from .publish_request import PublishRequest
from .result_link import ResultLink
from .row_problem import RowProblem
from .rule import Rule
from .rule_condition import RuleCondition
from .rule_conditions_item import RuleConditionsItem
from .rule_list import RuleList
from .rule_set import RuleSet
from .rule_variant import RuleVariant
from .rule_variants_item import RuleVariantsItem
from .scan import Scan
from .scan_page import ScanPage
from .tag_list import TagList
from .top_code import TopCode
from .totals import Totals
from .usage import Usage
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .validity import Validity
from .validity_schedule_type_0 import ValidityScheduleType0
from .window import Window
from .window_granularity import WindowGranularity

__all__ = (
    "Analytics",
    "AnalyticsBreakdowns",
    "BodyStartBulkJob",
    "BreakdownRow",
    "BulkJob",
    "Code",
    "CodeBatch",
    "CodeBatchResult",
    "CodeChanges",
    "CodeChangesDesignType0",
    "CodeChangesPayloadType0",
    "CodeChangesUtmType0",
    "CodeDesign",
    "CodePage",
    "CodePayload",
    "CodeUtm",
    "Delivery",
    "DeliveryList",
    "Endpoint",
    "EndpointCreate",
    "EndpointList",
    "EndpointUpdate",
    "Folder",
    "FolderList",
    "GetAnalyticsRange",
    "GetBulkJobResultKind",
    "GetCodeAnalyticsRange",
    "GetCodeImageFormat",
    "HTTPValidationError",
    "ListCodesStatusType0",
    "ListScansRange",
    "Meter",
    "NewCode",
    "NewCodeDesignType0",
    "NewCodePayloadType0",
    "NewFolder",
    "NewRule",
    "Page",
    "PageDetail",
    "PageDetailDraft",
    "PageList",
    "PageVersion",
    "PlanInfo",
    "Point",
    "Problem",
    "ProblemErrorsItem",
    "PublishRequest",
    "ResultLink",
    "RowProblem",
    "Rule",
    "RuleCondition",
    "RuleConditionsItem",
    "RuleList",
    "RuleSet",
    "RuleVariant",
    "RuleVariantsItem",
    "Scan",
    "ScanPage",
    "TagList",
    "TopCode",
    "Totals",
    "Usage",
    "ValidationError",
    "ValidationErrorContext",
    "Validity",
    "ValidityScheduleType0",
    "Window",
    "WindowGranularity",
)

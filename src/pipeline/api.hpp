// HTTP routes of the pipeline: /api/v1/opportunities (and their samples, plan
// steps, touchpoints, closing records, gate, history, advance, go-no-go,
// close), /api/v1/opportunity-samples, /api/v1/opportunity-plan-steps and
// /api/v1/pipeline/{gates,lost-reasons,settings,funnel,forecast,stalled}.
#pragma once

#include "auth/guard.hpp"

namespace kam::pipeline {

void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::pipeline

/**
 * How a namespace's derived AuthorizationPolicies act on traffic.
 *
 * There is no AUDIT mode on purpose: an AuthorizationPolicy with `action: AUDIT` denies nothing
 * and only marks matching requests for an audit plugin, and Istio's only such plugin is the
 * Stackdriver (Google Cloud) telemetry one. Without it AUDIT policies do nothing a team could
 * look at, and even with it they report the calls they match, not the calls enforcement would
 * refuse. Dry run is what shows the latter.
 */
export enum AuthorizationMode {
  /** The policies are enforced: whatever no ALLOW policy names is refused with 403 (HTTP) or a reset (TCP). */
  ENFORCE = 'ENFORCE',
  /**
   * The policies carry `istio.io/dry-run: "true"`: Envoy evaluates them as shadow rules next to
   * whatever is enforced and only counts and logs the result. A call the policies would refuse
   * shows in the proxy's `..._rbac_istio_dry_run_allow_shadow_denied` counter (Istio's default
   * stats inclusion keeps `shadow_allowed`/`shadow_denied`, so the Envoy stats scrape on 15090
   * collects it), in the `rbac` debug log and as the trace tag
   * `istio.authorization.dry_run.allow_policy.result`. Observe, fix the declared calls, then
   * switch the namespace to ENFORCE.
   */
  DRY_RUN = 'DRY_RUN',
}

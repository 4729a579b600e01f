#!/usr/bin/env bash
# The store lifecycle as a plain script: the same helm and kubectl work as the store
# role's direct mode, with none of its checks. The benchmark's yardstick.
#   store_lifecycle_baseline.sh create|delete <name>     (KUBECONFIG, PATH with helm/kubectl)
set -euo pipefail

action=$1
name=$2
namespace="store-${name}"
domain=${STOREFLEET_DOMAIN:-sandbox.127.0.0.1.nip.io}
chart=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../charts/store" && pwd)
platform=storefleet-system

store_status() {
  kubectl -n "$platform" patch store "$name" --subresource=status --type=merge \
    -p "{\"status\": {\"phase\": \"$1\"}}" >/dev/null
}

create() {
  kubectl apply -f - >/dev/null <<YAML
apiVersion: storefleet.io/v1alpha1
kind: Store
metadata: {name: ${name}, namespace: ${platform}}
spec: {engine: medusa, plan: small, seedDemoData: true, domain: ${domain}}
YAML
  store_status Provisioning
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  labels:
    app.kubernetes.io/managed-by: storefleet
    storefleet.io/store: ${name}
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
YAML
  kubectl apply -n "$namespace" -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: storefleet-store-provisioner}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: storefleet-store-provisioner}
subjects: [{kind: ServiceAccount, name: storefleet-provisioner, namespace: ${platform}}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: store-quota}
spec:
  hard: {limits.cpu: "10", limits.memory: 20Gi, requests.cpu: "4", requests.memory: 8Gi, pods: "20",
         persistentvolumeclaims: "2", requests.storage: 7Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: store-limits}
spec:
  limits:
    - {type: Container, default: {cpu: 250m, memory: 256Mi}, defaultRequest: {cpu: 50m, memory: 64Mi}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: store-default-deny}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: store-allow-dns-egress}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}],
            ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: store-allow-edge}
spec:
  podSelector: {matchExpressions: [{key: app.kubernetes.io/component, operator: In, values: [backend, storefront]}]}
  policyTypes: [Ingress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}},
                     podSelector: {matchLabels: {app.kubernetes.io/name: traefik}}}]}]
YAML
  kubectl -n "$namespace" create secret generic store-credentials \
    --from-literal=postgres-password="$(openssl rand -hex 16)" \
    --from-literal=jwt-secret="$(openssl rand -hex 24)" \
    --from-literal=cookie-secret="$(openssl rand -hex 24)" \
    --from-literal=admin-email="admin@${name}.${domain}" \
    --from-literal=admin-password="$(openssl rand -hex 12)" >/dev/null
  helm upgrade --install "$name" "$chart" --namespace "$namespace" \
    --set plan=small --set medusa.workerMode=split \
    --set images.backend.repository=registry.storefleet.local:5000/storefleet/medusa-backend \
    --set images.backend.tag=0.1.0 \
    --set images.storefront.repository=registry.storefleet.local:5000/storefleet/medusa-storefront \
    --set images.storefront.tag=0.1.0 \
    --set expose.host="${name}.${domain}" >/dev/null
  for component in bootstrap admin; do
    kubectl -n "$namespace" wait job -l "app.kubernetes.io/component=${component}" \
      --for=condition=complete --timeout=600s >/dev/null
  done
  kubectl -n "$namespace" rollout status deployment -l "app.kubernetes.io/instance=${name}" --timeout=600s >/dev/null
  kubectl -n "$namespace" rollout status statefulset -l "app.kubernetes.io/instance=${name}" --timeout=600s >/dev/null
  store_status Ready
}

delete() {
  store_status Deleting
  helm uninstall "$name" --namespace "$namespace" --wait >/dev/null
  kubectl -n "$namespace" delete pvc --all --wait >/dev/null
  kubectl -n "$namespace" delete secret store-credentials --ignore-not-found >/dev/null
  kubectl delete namespace "$namespace" --wait >/dev/null
  kubectl -n "$platform" delete store "$name" --wait >/dev/null
}

"$action"

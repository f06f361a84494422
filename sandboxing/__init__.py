"""Pure domain logic of aks-pod-sandboxing: facts, config contract, rules, sizing. No Pulumi."""

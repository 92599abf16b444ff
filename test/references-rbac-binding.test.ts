import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-rbac-binding.ts';
import { rbacBindingCases } from './references/workload-refs.cases.ts';

ruleTester(rule, rbacBindingCases);

import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-route-backend.ts';
import { routeBackendCases } from './references/services.cases.ts';

ruleTester(rule, routeBackendCases);

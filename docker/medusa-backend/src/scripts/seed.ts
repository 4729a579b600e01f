import { ExecArgs } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  Modules,
  ProductStatus,
} from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { CATALOG, COUNTRIES, CURRENCY, REGION_NAME, SHIPPING_PRICE } from "./catalog"

// The demo catalogue a new store starts with: everything a checkout with
// cash on delivery needs, and no per-store secret (no admin user, no
// publishable key), so the resulting database can be a shared snapshot.
export default async function seed({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const regionModule = container.resolve(Modules.REGION)
  const fulfillmentModule = container.resolve(Modules.FULFILLMENT)
  const salesChannelModule = container.resolve(Modules.SALES_CHANNEL)
  const storeModule = container.resolve(Modules.STORE)

  // A re-run after a partial bootstrap must not duplicate the catalogue.
  if ((await regionModule.listRegions({ name: REGION_NAME })).length > 0) {
    logger.info("Seed data already present; nothing to do.")
    return
  }

  const [store] = await storeModule.listStores()
  const [salesChannel] = await salesChannelModule.listSalesChannels({
    name: "Default Sales Channel",
  })
  if (!store || !salesChannel) {
    throw new Error("Run the migrations first: default store or sales channel missing")
  }

  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        name: "Storefleet Store",
        supported_currencies: [{ currency_code: CURRENCY, is_default: true }],
        default_sales_channel_id: salesChannel.id,
      },
    },
  })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: REGION_NAME,
          currency_code: CURRENCY,
          countries: COUNTRIES,
          payment_providers: ["pp_system_default"],
        },
      ],
    },
  })
  const region = regions[0]

  await createTaxRegionsWorkflow(container).run({
    input: COUNTRIES.map((country_code) => ({
      country_code,
      provider_id: "tp_system",
    })),
  })

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        {
          name: "Main warehouse",
          address: { city: "Berlin", country_code: "de", address_1: "" },
        },
      ],
    },
  })
  const location = locations[0]

  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })

  const shippingProfileId = await defaultShippingProfile(container)

  const fulfillmentSet = await fulfillmentModule.createFulfillmentSets({
    name: "Main warehouse delivery",
    type: "shipping",
    service_zones: [
      {
        name: REGION_NAME,
        geo_zones: COUNTRIES.map((country_code) => ({
          country_code,
          type: "country" as const,
        })),
      },
    ],
  })

  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })

  await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard delivery",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: shippingProfileId,
        type: {
          label: "Standard",
          description: "Delivered in 2-3 working days.",
          code: "standard",
        },
        prices: [
          { currency_code: CURRENCY, amount: SHIPPING_PRICE },
          { region_id: region.id, amount: SHIPPING_PRICE },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })

  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: location.id, add: [salesChannel.id] },
  })

  await createProductsWorkflow(container).run({
    input: {
      products: CATALOG.map((product) => ({
        title: product.title,
        handle: product.handle,
        description: product.description,
        status: ProductStatus.PUBLISHED,
        shipping_profile_id: shippingProfileId,
        options: [{ title: product.option, values: product.variants.map((v) => v.value) }],
        variants: product.variants.map((variant) => ({
          title: variant.value,
          sku: variant.sku,
          manage_inventory: true,
          options: { [product.option]: variant.value },
          prices: [{ currency_code: CURRENCY, amount: variant.price }],
        })),
        sales_channels: [{ id: salesChannel.id }],
      })),
    },
  })

  const stockBySku = new Map(
    CATALOG.flatMap((product) => product.variants.map((v) => [v.sku, v.stock] as const))
  )
  const { data: inventoryItems } = await query.graph({
    entity: "inventory_item",
    fields: ["id", "sku"],
  })
  await createInventoryLevelsWorkflow(container).run({
    input: {
      inventory_levels: inventoryItems.map((item) => ({
        location_id: location.id,
        inventory_item_id: item.id,
        stocked_quantity: stockBySku.get(item.sku ?? "") ?? 0,
      })),
    },
  })

  logger.info(`Seeded ${CATALOG.length} products in region ${REGION_NAME}.`)
}

async function defaultShippingProfile(container: ExecArgs["container"]): Promise<string> {
  const fulfillmentModule = container.resolve(Modules.FULFILLMENT)
  const [existing] = await fulfillmentModule.listShippingProfiles({ type: "default" })
  if (existing) {
    return existing.id
  }
  const { result } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default Shipping Profile", type: "default" }] },
  })
  return result[0].id
}
